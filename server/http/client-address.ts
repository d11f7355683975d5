import type { IncomingMessage } from "node:http";

/**
 * Makes X-Forwarded-For say who the client is before any handler reads it
 * (sign-in and join rate limits, rejected-request audits key on it). Without a
 * trusted proxy a client could name any address there and so escape its rate
 * limit: the header is replaced by the socket's peer address. Behind one
 * (TRUST_PROXY=1: a reverse proxy sets the header, its first hop is the
 * client) the proxy's header is kept.
 */
export function pinClientAddress(req: IncomingMessage, trusted = process.env.TRUST_PROXY === "1"): void {
  if (trusted && req.headers["x-forwarded-for"]) return;
  req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "unknown";
}
