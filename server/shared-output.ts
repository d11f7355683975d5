/**
 * Answers served from a read cache are one object shared by every caller
 * (server/db/change-feed.ts). Marked here, such an object is frozen (a caller
 * that tried to change it would throw instead of changing everyone's answer)
 * and the tRPC transformer serializes it once, not once per request.
 */
const shared = new WeakSet<object>();

export function sharedOutput<T extends object>(value: T): T {
  shared.add(Object.freeze(value));
  return value;
}

export function isSharedOutput(value: unknown): value is object {
  return typeof value === "object" && value !== null && shared.has(value);
}
