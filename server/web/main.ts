import cluster from "node:cluster";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import next from "next";
import { AggregatorRegistry } from "prom-client";
import { attachChangeFeed, ChangeFeed } from "../db/change-feed";
import { db } from "../db/client";
import { closeServer, runClustered } from "../http/cluster";
import { logger } from "../observability/logger";
import { registry } from "../observability/metrics";
import { createWebHandler } from "./handler";

/**
 * `npm run web`: the web app. Next.js (pages, assets, next-auth, route
 * handlers) behind a node:http server that answers /api/trpc,
 * /api/placement/map, /api/health and /api/metrics itself
 * (server/web/handler.ts), with the change feed (server/db/change-feed.ts)
 * caching session and read queries. Reads DATABASE_URL, HOST
 * (127.0.0.1), PORT (3000), WEB_WORKERS (default: one per CPU, at most 4;
 * N > 1 runs a node:cluster of N workers sharing the port, each with Next.js
 * and its own pools) and `--dev` (`next dev`, one process). Needs a build
 * (`next build`) unless `--dev`.
 */
const PROJECT_DIR = path.resolve(import.meta.dirname, "..", "..");
const dev = process.argv.includes("--dev");
const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 3000);
const workers = dev ? 1 : Number(process.env.WEB_WORKERS ?? Math.min(os.availableParallelism(), 4));
if (!process.env.DATABASE_URL) {
  console.error("DATABASE_URL is not set");
  process.exit(2);
}
if (!Number.isInteger(port) || port < 0 || port > 65_535 || !Number.isInteger(workers) || workers < 1) {
  console.error("PORT must be a port number and WEB_WORKERS a positive integer");
  process.exit(2);
}
const log = logger.child({ component: "web", pid: process.pid });

const METRICS_ASK = "statehouse:metrics?";
const METRICS_ANSWER = "statehouse:metrics!";
type MetricsMessage = { type: typeof METRICS_ASK; id: number } | { type: typeof METRICS_ANSWER; id: number; body: string };

/** Under cluster a worker asks the primary, which collects every worker's registry (prom-client's AggregatorRegistry). */
function clusterMetrics() {
  let nextId = 0;
  const waiting = new Map<number, (body: string) => void>();
  process.on("message", (m: MetricsMessage) => {
    if (m?.type === METRICS_ANSWER) waiting.get(m.id)?.(m.body);
  });
  return () =>
    new Promise<{ contentType: string; body: string }>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error("the primary did not answer"));
      }, 5000);
      waiting.set(id, (body) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve({ contentType: registry.contentType, body });
      });
      process.send!({ type: METRICS_ASK, id } satisfies MetricsMessage);
    });
}

async function serve() {
  const app = next({ dev, dir: PROJECT_DIR, hostname: host, port });
  await app.prepare();
  const nextHandler = app.getRequestHandler();
  if (cluster.isWorker) {
    // prom-client answers the primary's collection requests only once an AggregatorRegistry exists in the worker.
    void new AggregatorRegistry();
    AggregatorRegistry.setRegistries([registry]);
  }
  // Reads through the app's client are cached while Postgres reports their tables unchanged.
  const feed = new ChangeFeed(process.env.DATABASE_URL!, log);
  await feed.start();
  attachChangeFeed(db(), feed);
  const handler = createWebHandler({
    db: db(),
    dev,
    next: (req, res) => nextHandler(req, res),
    metrics: cluster.isWorker ? clusterMetrics() : async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  });
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, host, resolve));
  log.info({ url: `http://${host}:${port}`, worker: cluster.worker?.id, dev }, "web server listening");
  return async () => {
    await closeServer(server);
    await Promise.allSettled([app.close(), feed.stop(), db().$disconnect()]);
  };
}

const aggregator = cluster.isPrimary && workers > 1 ? new AggregatorRegistry() : null;
await runClustered({
  name: "web",
  workers,
  log,
  serve,
  onWorkerMessage: (worker, m) => {
    const ask = m as MetricsMessage;
    if (ask?.type !== METRICS_ASK || !aggregator) return;
    void aggregator.clusterMetrics().then(
      (body) => worker.send({ type: METRICS_ANSWER, id: ask.id, body } satisfies MetricsMessage),
      (err: unknown) => log.warn({ err }, "cluster metrics failed"),
    );
  },
});
