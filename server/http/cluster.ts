import cluster from "node:cluster";
import type { Server } from "node:http";
import type { Logger } from "pino";
import { watchParent } from "./watch-parent";

const STOP_GRACE_MS = 5000;

/** Stop accepting, let keep-alive sockets with a request in flight finish, cut the rest after the grace period. */
export async function closeServer(server: Server, graceMs = STOP_GRACE_MS): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(force);
}

export interface ClusteredServer {
  /** A label for the log ("agent API", "web"). */
  name: string;
  /** 1: this process serves; N > 1: node:cluster, N workers sharing the port (a crashed worker is replaced). */
  workers: number;
  log: Logger;
  /** Starts serving in this process; resolves to its stop function (close the server, end the pools). */
  serve: () => Promise<() => Promise<void>>;
  /** Primary only (N > 1): messages from workers, e.g. a request for cluster-wide metrics. */
  onWorkerMessage?: (worker: NonNullable<typeof cluster.worker>, message: unknown) => void;
}

/**
 * Runs a server as one process or as a node:cluster of workers. SIGTERM/SIGINT
 * (or the parent named by STATEHOUSE_EXIT_WITH_PARENT going away): stop
 * accepting, finish the requests in flight, exit 0. Under cluster the primary
 * asks its workers to stop with a message (a terminal's Ctrl-C also reaches
 * them directly) and exits once they all have.
 */
export async function runClustered({ name, workers, log, serve, onWorkerMessage }: ClusteredServer): Promise<void> {
  if (workers > 1 && cluster.isPrimary) {
    log.info({ workers }, `${name} primary starting workers`);
    let stopping = false;
    for (let i = 0; i < workers; i++) cluster.fork();
    if (onWorkerMessage) cluster.on("message", onWorkerMessage);
    cluster.on("exit", (worker, code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) {
          log.info(`${name} stopped`);
          process.exit(0);
        }
        return;
      }
      log.error({ worker: worker.id, code, signal }, `${name} worker exited; starting another`);
      cluster.fork();
    });
    const stop = (reason: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ reason }, `${name} stopping`);
      for (const w of Object.values(cluster.workers ?? {})) w?.send("shutdown");
      setTimeout(() => process.exit(0), STOP_GRACE_MS + 2000).unref();
    };
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => stop(signal));
    watchParent(() => stop("parent gone"));
    return;
  }
  let stopServing: () => Promise<void>;
  try {
    stopServing = await serve();
  } catch (err) {
    log.fatal({ err }, `${name} could not start`);
    process.exit(1);
  }
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, `${name} stopping`);
    await stopServing();
    log.info(`${name} stopped`);
    process.exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void stop(signal));
  process.on("message", (m) => m === "shutdown" && void stop("primary"));
  watchParent(() => void stop("parent gone"));
}
