import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type pg from "pg";
import type { Db } from "../db/client";
import { pinClientAddress } from "../http/client-address";
import { heartbeatAnswer, joinAnswer, MAX_BODY, type AgentAnswer, type AgentRequest } from "./handlers";

/**
 * Serves the agent protocol from a bare node:http server: the agent API process
 * (server/agent-api/main.ts, `npm run agent-api`), integration tests and the
 * benches. Same handlers as app/api/agent/* (joinAnswer / heartbeatAnswer), but
 * no WHATWG Request/Response is built on the hot path: the handlers read
 * headers and body from a thin view of the IncomingMessage, and the answer is
 * written with one JSON.stringify.
 */
export const AGENT_ROUTES: Record<string, (db: Db, request: AgentRequest, hot?: pg.Pool) => Promise<AgentAnswer>> = {
  "/api/agent/join": joinAnswer,
  "/api/agent/heartbeat": heartbeatAnswer,
};

/** The body is collected up to MAX_BODY + 1 bytes (the handlers refuse anything longer) and the rest drained. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      if (size > MAX_BODY) return;
      chunks.push(chunk);
      size += chunk.length;
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function agentRequest(req: IncomingMessage): AgentRequest {
  let body: Promise<string> | undefined;
  return {
    headers: {
      get(name) {
        const v = req.headers[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
      },
    },
    text: () => (body ??= readBody(req)),
  };
}

export interface AgentApiServer extends Server {
  url: string;
}

/**
 * `GET /healthz`: 200 `{"status":"ok"}` once the database answers `SELECT 1`
 * (on `hot`, or through Prisma), 503 otherwise. Everything else but the two
 * POST routes is 404.
 */
export async function serveAgentApi(db: Db, port: number, host = "127.0.0.1", hot?: pg.Pool): Promise<AgentApiServer> {
  const write = (res: ServerResponse, status: number, body: unknown) => {
    const json = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json) }).end(json);
  };
  const server = createServer((req, res) => {
    pinClientAddress(req);
    const pathname = (req.url ?? "").split("?")[0]!;
    if (pathname === "/healthz" && (req.method === "GET" || req.method === "HEAD")) {
      void (hot ? hot.query("SELECT 1") : db.$queryRaw`SELECT 1`).then(
        () => write(res, 200, { status: "ok" }),
        () => write(res, 503, { status: "unavailable" }),
      );
      return;
    }
    const route = AGENT_ROUTES[pathname];
    if (!route || req.method !== "POST") {
      req.resume();
      res.writeHead(404).end();
      return;
    }
    void route(db, agentRequest(req), hot).then(
      (answer) => write(res, answer.status, answer.body),
      () => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      },
    );
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actual = server.address();
  return Object.assign(server, { url: `http://${host}:${typeof actual === "object" && actual ? actual.port : port}` });
}
