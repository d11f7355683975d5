import { createServer, type IncomingMessage, type Server } from "node:http";
import type pg from "pg";
import type { Db } from "../../db/client";
import { handleHeartbeat, handleJoin } from "./agent-http";

/**
 * Serves the agent protocol from a bare node:http server: the same handlers as
 * app/api/agent/*, for integration tests and the fleet bench (no Next.js build).
 */
export const AGENT_ROUTES: Record<string, (db: Db, request: Request, hot?: pg.Pool) => Promise<Response>> = {
  "/api/agent/join": handleJoin,
  "/api/agent/heartbeat": handleHeartbeat,
};

async function toRequest(req: IncomingMessage, base: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  return new Request(new URL(req.url ?? "/", base), { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
}

export async function serveAgentApi(db: Db, port: number, host = "127.0.0.1", hot?: pg.Pool): Promise<Server & { url: string }> {
  const base = `http://${host}:${port}`;
  const server = createServer((req, res) => {
    const route = AGENT_ROUTES[(req.url ?? "").split("?")[0]!];
    if (!route || req.method !== "POST") {
      res.writeHead(404).end();
      return;
    }
    void toRequest(req, base)
      .then((request) => route(db, request, hot))
      .then(async (response) => {
        res.writeHead(response.status, { "content-type": "application/json" });
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch(() => res.writeHead(500).end());
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return Object.assign(server, { url: base });
}
