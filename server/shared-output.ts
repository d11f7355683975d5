import { promisify } from "node:util";
import { gzip } from "node:zlib";

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

export interface Encoded {
  text: string;
  /** Its gzip, made once when the text is big enough to be worth it (else null). */
  gzip: Promise<Buffer> | null;
}

const GZIP_FROM = 1024;
const gzipAsync = promisify(gzip);
const encodings = new WeakMap<object, Map<string, Encoded>>();

/** A shared answer's bytes in one wire format (plain JSON, tRPC's envelope), made once however many callers read it. */
export function encodedOnce(value: object, format: string, encode: () => string): Encoded {
  let formats = encodings.get(value);
  if (!formats) encodings.set(value, (formats = new Map()));
  let enc = formats.get(format);
  if (!enc) {
    const text = encode();
    formats.set(format, (enc = { text, gzip: text.length >= GZIP_FROM ? gzipAsync(text) : null }));
  }
  return enc;
}

/** Whether the client takes gzip (Accept-Encoding). */
export const acceptsGzip = (acceptEncoding: string | null | undefined): boolean => /\bgzip\b/.test(acceptEncoding ?? "");
