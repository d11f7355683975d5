import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import pg from "pg";
import { EnvironmentApi, HttpError, type ReplicaIdentity } from "./environment-api";

/** The replica's HTTP surface: /healthz and /v1/environments/{id}/… */
export interface StateServerOptions extends ReplicaIdentity {
  databaseUrl: string;
  port: number;
  host?: string;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 128 * 1024) throw new HttpError(413, "payload too large");
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "payload is not JSON");
  }
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", "x-content-type-options": "nosniff" });
  res.end(JSON.stringify(body));
}

export async function startStateServer(options: StateServerOptions): Promise<{ server: Server; pool: pg.Pool; stop(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4, connectionTimeoutMillis: 3000 });
  // A Postgres restart kills idle connections: log and let the pool reconnect on the next query.
  pool.on("error", () => undefined);
  const api = new EnvironmentApi(pool, options);

  async function route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://replica");
    if (url.pathname === "/healthz" && req.method === "GET") {
      const [peers, envs] = await Promise.all([
        pool.query<{ id: string; ordinal: number; hostId: string | null; state: string; port: number | null }>(
          `SELECT id, ordinal, "hostId", state::text, port FROM "Replica" WHERE "stateServerId" = $1 ORDER BY ordinal, id`,
          [options.stateServerId],
        ),
        pool.query<{ id: string }>(`SELECT id FROM "Environment" WHERE "stateServerId" = $1 ORDER BY id`, [options.stateServerId]),
      ]);
      return send(res, 200, {
        status: "ok",
        replicaId: options.replicaId,
        stateServerId: options.stateServerId,
        ordinal: options.ordinal,
        peers: peers.rows.filter((p) => p.id !== options.replicaId),
        environments: envs.rows.map((e) => e.id),
      });
    }
    const m = /^\/v1\/environments\/([^/]+)(?:\/(status|kv)(?:\/(.+))?)?$/.exec(url.pathname);
    if (!m || !m[2]) throw new HttpError(404, "not found");
    const env = await api.authorize(decodeURIComponent(m[1]!), req.headers.authorization ?? null);
    const key = m[3] === undefined ? undefined : decodeURIComponent(m[3]);
    if (m[2] === "status" && key === undefined && req.method === "GET") return send(res, 200, api.status(env));
    if (m[2] === "kv" && key === undefined && req.method === "GET")
      return send(res, 200, await api.list(env, url.searchParams.get("prefix") ?? ""));
    if (m[2] === "kv" && key !== undefined && req.method === "GET") return send(res, 200, await api.get(env, key));
    if (m[2] === "kv" && key !== undefined && req.method === "PUT") return send(res, 200, await api.put(env, key, await readBody(req)));
    throw new HttpError(405, "method not allowed");
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) send(res, error.status, { error: error.message });
      else send(res, 503, { error: "temporarily unavailable" });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", resolve);
  });
  return {
    server,
    pool,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
