import cluster from "node:cluster";
import pg from "pg";
import { createPrismaClient } from "../db/client";
import { closeServer, runClustered } from "../http/cluster";
import { logger } from "../observability/logger";
import { serveAgentApi } from "./http-server";

/**
 * `npm run agent-api`: the agent protocol (POST /api/agent/join,
 * /api/agent/heartbeat; GET /healthz) from a dedicated lightweight process next
 * to the web app, with its own pg pool (the heartbeat hot path) and Prisma
 * client. Same handlers as app/api/agent/*. Reads DATABASE_URL,
 * AGENT_API_HOST (127.0.0.1), AGENT_API_PORT (3001), AGENT_API_WORKERS (1: one
 * process; N > 1: node:cluster, N workers sharing the port). SIGTERM/SIGINT:
 * stop accepting, finish the requests in flight, close the pools, exit 0.
 */
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("DATABASE_URL is not set");
  process.exit(2);
}
const host = process.env.AGENT_API_HOST ?? "127.0.0.1";
const port = Number(process.env.AGENT_API_PORT ?? 3001);
const workers = Number(process.env.AGENT_API_WORKERS ?? 1);
if (!Number.isInteger(port) || port < 0 || port > 65_535 || !Number.isInteger(workers) || workers < 1) {
  console.error("AGENT_API_PORT must be a port number and AGENT_API_WORKERS a positive integer");
  process.exit(2);
}
const log = logger.child({ component: "agent-api", pid: process.pid });

async function serve(url: string) {
  const hot = new pg.Pool({ connectionString: url, max: 8 });
  // The message and code only: a pg error carries its whole client, which would flood the log.
  hot.on("error", (err: Error & { code?: string }) => log.warn({ code: err.code, detail: err.message }, "idle pg connection failed"));
  const db = createPrismaClient(url, 4);
  const server = await serveAgentApi(db, port, host, hot);
  log.info({ url: server.url, worker: cluster.isWorker ? cluster.worker?.id : undefined }, "agent API listening");
  return async () => {
    await closeServer(server);
    await Promise.allSettled([hot.end(), db.$disconnect()]);
  };
}

await runClustered({ name: "agent API", workers, log, serve: () => serve(databaseUrl) });
