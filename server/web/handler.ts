import type { IncomingMessage, ServerResponse } from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter } from "../api/root";
import { createContextInner } from "../api/trpc";
import { sessionFromHeaders } from "../auth/request-session";
import type { Db } from "../db/client";
import { pinClientAddress } from "../http/client-address";
import { placementMapAnswer } from "../http/placement-map";
import { TRPC_BODY_LIMIT } from "../http/body-limit";
import { problemOf } from "../http/problem";
import { guardRequest } from "../http/request-guard";
import { securityHeaders } from "../http/security-headers.mjs";
import { checkHealth } from "../observability/health";
import { logger } from "../observability/logger";
import { createFastQuery } from "./fast-query";

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface WebHandlerOptions {
  db: Db;
  /** Next.js's request handler for everything the web server does not answer itself (absent in tests: 404). */
  next?: NodeHandler;
  /** Prometheus text for /api/metrics (under cluster: every worker's, aggregated by the primary). */
  metrics: () => Promise<{ contentType: string; body: string }>;
  dev?: boolean;
}

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}

function headerOf(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
}

/**
 * The web server's request handler. /api/trpc/*, /api/placement/map,
 * /api/health and /api/metrics are answered here, on node:http, without
 * Next.js's routing (per request that routing costs more than most
 * procedures: GET /api/health through `next start` saturates near 470 req/s on
 * this 2-core machine); everything else (pages, assets, next-auth, the other
 * route handlers) goes to Next.js. The same security headers as
 * next.config.mjs's are set on every answer written here. Every request first
 * passes guardRequest (body limit, same-origin rule for writes: server/http). A failure is logged
 * and answered 500 without details.
 */
export function createWebHandler({ db, next, metrics, dev = false }: WebHandlerOptions): NodeHandler {
  const headers = securityHeaders(dev);
  const secure = (res: ServerResponse) => {
    for (const { key, value } of headers) res.setHeader(key, value);
  };
  const json = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res
      .writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "cache-control": "no-store" })
      .end(text);
  };
  const context = async (req: IncomingMessage) => {
    const h = requestHeaders(req);
    return createContextInner({ db, session: await sessionFromHeaders(db, h), headers: h, requestId: h.get("x-request-id") ?? undefined });
  };
  // maxBodySize: a streamed body without a declared length is cut off at the limit too (413).
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: "/api/trpc/",
    maxBodySize: TRPC_BODY_LIMIT,
    createContext: ({ req }) => context(req),
  });
  // STATEHOUSE_TRPC_ADAPTER=standard: every tRPC request through the standard adapter (bench:api -- --adapters compares).
  const fastQuery = process.env.STATEHOUSE_TRPC_ADAPTER === "standard" ? () => null : createFastQuery(appRouter, context);
  const map = async (req: IncomingMessage, res: ServerResponse, search: string) => {
    const h = requestHeaders(req);
    const {
      status,
      headers: answerHeaders,
      body,
    } = await placementMapAnswer(db, await sessionFromHeaders(db, h), new URLSearchParams(search), h);
    res
      .writeHead(status, { ...answerHeaders, ...(status === 304 ? {} : { "content-length": Buffer.byteLength(body) }) })
      .end(status === 304 ? undefined : body);
  };
  const answer = (req: IncomingMessage, res: ServerResponse): void | Promise<void> => {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const pathname = query < 0 ? url : url.slice(0, query);
    const refused = guardRequest(req.method, pathname, { get: (name) => headerOf(req, name) });
    if (refused) {
      secure(res);
      const { status, body } = problemOf(refused);
      // The body is not read: the connection closes after the answer rather than drain it.
      res.setHeader("connection", "close");
      return json(res, status, body);
    }
    const cachedRead = pathname.startsWith("/api/trpc/") || (pathname === "/api/placement/map" && req.method === "GET");
    if (cachedRead) {
      secure(res);
      // One turn of the event loop first: a change-feed notification that was already
      // readable with this request (a write another worker answered before this request
      // was sent) is applied before any cached read is served.
      const search = query < 0 ? "" : url.slice(query + 1);
      return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        if (pathname === "/api/placement/map") return map(req, res, search);
        let path: string;
        try {
          path = decodeURIComponent(pathname.slice("/api/trpc/".length));
        } catch {
          return trpc(req, res); // a malformed path: tRPC's own answer
        }
        return fastQuery(req, res, path, search) ?? trpc(req, res);
      });
    }
    if (pathname === "/api/health" && (req.method === "GET" || req.method === "HEAD")) {
      secure(res);
      return checkHealth(db).then((health) => json(res, health.status === "ok" ? 200 : 503, health));
    }
    if (pathname === "/api/metrics" && req.method === "GET") {
      secure(res);
      return metrics().then(
        ({ contentType, body }) => void res.writeHead(200, { "content-type": contentType, "cache-control": "no-store" }).end(body),
        () => json(res, 503, { error: "metrics unavailable" }),
      );
    }
    if (next) return next(req, res);
    secure(res);
    json(res, 404, { error: "not found" });
  };

  return (req, res) => {
    pinClientAddress(req);
    try {
      return Promise.resolve(answer(req, res)).catch((err: unknown) => fail(req, res, err));
    } catch (err) {
      fail(req, res, err);
    }
  };
}

function fail(req: IncomingMessage, res: ServerResponse, err: unknown) {
  logger.error({ err, url: req.url }, "request failed");
  if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: "internal error" }));
}
