import { promisify } from "node:util";
import { gzip } from "node:zlib";

/**
 * Answers served from a read cache are one object shared by every caller
 * (server/db/read-model.ts). Marked here, such an object is frozen (a caller
 * that tried to change it would throw instead of changing everyone's answer),
 * and what is made from it (its superjson form, its bytes) is made once, not
 * once per request.
 */
const shared = new WeakSet<object>();

export function sharedOutput<T extends object>(value: T): T {
  shared.add(Object.freeze(value));
  return value;
}

export function isSharedOutput(value: unknown): value is object {
  return typeof value === "object" && value !== null && shared.has(value);
}

export interface Encoded {
  text: string;
  /** Its gzip, made once when the text is big enough to be worth it (else null). */
  gzip: Promise<Buffer> | null;
}

const GZIP_FROM = 1024;
const gzipAsync = promisify(gzip);
const derived = new WeakMap<object, Map<string, unknown>>();

/**
 * What is made from an object that never changes (a cached row set, a shared
 * answer), made once per `kind` and kept as long as the object lives.
 */
export function derivedOnce<T>(from: object, kind: string, make: () => T): T {
  let kinds = derived.get(from);
  if (!kinds) derived.set(from, (kinds = new Map()));
  if (!kinds.has(kind)) kinds.set(kind, make());
  return kinds.get(kind) as T;
}

/** A shared answer's bytes in one wire format (plain JSON, tRPC's envelope), made once however many callers read it. */
export function encodedOnce(value: object, format: string, encode: () => string): Encoded {
  return derivedOnce(value, `bytes:${format}`, () => {
    const text = encode();
    return { text, gzip: text.length >= GZIP_FROM ? gzipAsync(text) : null };
  });
}

/** Whether the client takes gzip (Accept-Encoding). */
export const acceptsGzip = (acceptEncoding: string | null | undefined): boolean => /\bgzip\b/.test(acceptEncoding ?? "");
