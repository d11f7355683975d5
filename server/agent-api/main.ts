import cluster from "node:cluster";
import pg from "pg";
import { watchParent } from "../agent/watch-parent";
import { createPrismaClient } from "../db/client";
import { logger } from "../observability/logger";
import { serveAgentApi } from "../services/runtime/http-server";

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
const STOP_GRACE_MS = 5000;

async function serve(url: string) {
  const hot = new pg.Pool({ connectionString: url, max: 8 });
  // The message and code only: a pg error carries its whole client, which would flood the log.
  hot.on("error", (err: Error & { code?: string }) => log.warn({ code: err.code, detail: err.message }, "idle pg connection failed"));
  const db = createPrismaClient(url, 4);
  const server = await serveAgentApi(db, port, host, hot);
  log.info({ url: server.url, worker: cluster.isWorker ? cluster.worker?.id : undefined }, "agent API listening");
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, "agent API stopping");
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Keep-alive sockets with a request in flight close after its answer; a stuck one is cut after the grace period.
    const force = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
    await closed;
    clearTimeout(force);
    await Promise.allSettled([hot.end(), db.$disconnect()]);
    log.info("agent API stopped");
    process.exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void stop(signal));
  // Under cluster the primary asks workers to stop with a message (a terminal's Ctrl-C also reaches them directly).
  process.on("message", (m) => m === "shutdown" && void stop("primary"));
  watchParent(() => void stop("parent gone"));
}

if (workers > 1 && cluster.isPrimary) {
  log.info({ workers, host, port }, "agent API primary starting workers");
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        log.info("agent API stopped");
        process.exit(0);
      }
      return;
    }
    log.error({ worker: worker.id, code, signal }, "agent API worker exited; starting another");
    cluster.fork();
  });
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, "agent API stopping");
    for (const w of Object.values(cluster.workers ?? {})) w?.send("shutdown");
    setTimeout(() => process.exit(0), STOP_GRACE_MS + 2000).unref();
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => stop(signal));
  watchParent(() => stop("parent gone"));
} else {
  await serve(databaseUrl).catch((err: unknown) => {
    log.fatal({ err }, "agent API could not start");
    process.exit(1);
  });
}
