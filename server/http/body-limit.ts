import { AppError } from "../errors";

/**
 * Request body limits, one per kind of endpoint. A body is refused with 413
 * before it is read when its declared length is over the limit, and while it
 * is read when it is streamed without one (tRPC's maxBodySize, readLimitedText).
 */
/** tRPC calls: the largest legitimate input (a compliance plan, a rule's params) is a few KiB. */
export const TRPC_BODY_LIMIT = 1024 * 1024;
/** Route handlers, next-auth forms and anything else the web server hands to Next.js. */
export const ROUTE_BODY_LIMIT = 64 * 1024;
/** The agent protocol (join, heartbeat). */
export const AGENT_BODY_LIMIT = 64 * 1024;

export const bodyTooLarge = (limit: number) =>
  new AppError("PAYLOAD_TOO_LARGE", `Request body too large (at most ${limit} bytes)`, { field: "body" });

/** Whether a Content-Length header declares more than `limit` bytes (a malformed one counts as too large). */
export function declaredTooLarge(contentLength: string | null | undefined, limit: number): boolean {
  if (contentLength === null || contentLength === undefined || contentLength === "") return false;
  if (!/^\d{1,15}$/.test(contentLength.trim())) return true;
  return Number(contentLength) > limit;
}

/** A fetch Request's body as text, read up to `limit` bytes; more is PAYLOAD_TOO_LARGE, without reading the rest. */
export async function readLimitedText(request: Request, limit: number): Promise<string> {
  if (declaredTooLarge(request.headers.get("content-length"), limit)) throw bodyTooLarge(limit);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw bodyTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
