import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { ensureEtcd } from "./provision-etcd";
import { choosePort } from "./start/ports";
import { ensurePrismaClient } from "./start/prisma-client";
import { PROJECT_DIR, startControllers, type Supervised } from "./start/supervise";

/**
 * `npm start`: database (embedded Postgres unless DATABASE_URL is set, started
 * again if it dies), migrations, seed, build when the sources changed, then the
 * app, the agent API (the agent protocol's own process), two supervised
 * controllers (one leads, one stands by; a dead one is started again) and
 * (demo) the local fleet of host agents. Ports: PORT (3000), AGENT_API_PORT
 * (3001), EMBEDDED_PG_PORT (54329); a default taken by another program
 * (another copy of the app) moves to the next free port, said in the log.
 * Ctrl-C stops it all: fleet, controllers, agent API, app, Postgres. Any
 * failure to start is one line, then everything started is stopped.
 */
const { values: args } = parseArgs({ options: { dev: { type: "boolean", default: false } } });
const host = process.env.HOST ?? "127.0.0.1";
const production = process.env.STATEHOUSE_ENV === "production";
const agentApiHost = process.env.AGENT_API_HOST ?? "127.0.0.1";
const log = (message: string) => console.log(`[statehouse] ${message}`);
const stopActions: (() => Promise<void>)[] = [];
/** Run at once on Ctrl-C, before anything is awaited: what restarts dead children stops restarting. */
const haltActions: (() => void)[] = [];
const portsTaken = new Set<number>();
const probeHost = (h: string) => (h === "0.0.0.0" || h === "::" ? "127.0.0.1" : h);
const hostInUrl = (h: string) => (probeHost(h).includes(":") ? `[${probeHost(h)}]` : probeHost(h));

async function newestSourceMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.parentPath.includes("node_modules")) continue;
    newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

async function buildIfStale() {
  const buildId = path.join(PROJECT_DIR, ".next", "BUILD_ID");
  const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const dirs = ["app", "components", "server", "prisma"].map((d) => path.join(PROJECT_DIR, d));
  const newest = Math.max(...(await Promise.all(dirs.map(newestSourceMtime))));
  if (built > newest) return;
  log("building the app (next build)…");
  const result = spawnSync(path.join(PROJECT_DIR, "node_modules", ".bin", "next"), ["build"], {
    cwd: PROJECT_DIR,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.error) throw new Error(`could not run next build (${result.error.message})`);
  if (result.status !== 0) throw new Error("next build failed (its output is above)");
}

async function waitForHealth(url: string, exited: Promise<unknown>, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`${what} exited while starting (its output is above)`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${what} did not answer ${url} within ${timeoutMs / 1000} s`);
}

let shuttingDown = false;
async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const halt of haltActions) halt();
  for (const action of stopActions.reverse()) await action().catch((e: unknown) => log(`while stopping: ${(e as Error).message ?? e}`));
  process.exit(code);
}

/** A child of npm start, stopped (SIGTERM) at shutdown; resolves `exited` with its exit code, or 1 when it could not run. */
function child(
  what: string,
  script: string,
  scriptArgs: string[],
  env: Record<string, string | undefined>,
): { proc: ChildProcess; exited: Promise<number> } {
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT_DIR, script), ...scriptArgs], {
    cwd: PROJECT_DIR,
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  const exited = new Promise<number>((resolve) => {
    proc.on("error", (err) => {
      log(`could not run ${what}: ${err.message}`);
      resolve(1);
    });
    proc.on("exit", (code) => resolve(code ?? 0));
  });
  stopActions.push(async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
    await exited;
  });
  return { proc, exited };
}

/** The agent API process (server/agent-api/main.ts): what host agents talk to. */
async function startAgentApi(databaseUrl: string): Promise<string> {
  const port = await choosePort("the agent API", "AGENT_API_PORT", 3001, agentApiHost, portsTaken, log);
  const { exited } = child("the agent API", "server/agent-api/main.ts", [], {
    DATABASE_URL: databaseUrl,
    AGENT_API_HOST: agentApiHost,
    AGENT_API_PORT: String(port),
    NODE_ENV: process.env.NODE_ENV ?? "production",
  });
  const url = `http://${hostInUrl(agentApiHost)}:${port}`;
  await waitForHealth(`${url}/healthz`, exited, "the agent API", 30_000);
  log(`agent API running at ${url} (agents join and heartbeat here)`);
  return url;
}

/** Two supervised controllers, and (demo) the local fleet of host agents; stopped before the agent API, the app and Postgres. */
function startRuntime(databaseUrl: string, agentApiUrl: string) {
  const controllers: Supervised[] = startControllers(databaseUrl, log);
  haltActions.push(() => controllers.forEach((c) => c.halt()));
  stopActions.push(async () => {
    await Promise.all(controllers.map((c) => c.stop()));
  });
  log("controllers controller-1 and controller-2 started (one leads, the other stands by; a dead one is started again)");
  if (production) return;
  child("the demo fleet", "scripts/demo-fleet.ts", ["--agent-api", agentApiUrl], { DATABASE_URL: databaseUrl });
  log("demo fleet starting (6 host agents)");
}

async function main() {
  ensureEtcd(log);
  ensurePrismaClient(PROJECT_DIR, log);
  // Loaded only now: it loads the Prisma client, which the line above may just have generated.
  const { logDemoLogins, prepareDatabase } = await import("./start/database");
  const databaseUrl = await prepareDatabase({
    production,
    embeddedPort: () => choosePort("embedded PostgreSQL", "EMBEDDED_PG_PORT", 54329, "127.0.0.1", portsTaken, log),
    log,
    onStop: (stop, halt) => {
      stopActions.push(stop);
      haltActions.push(halt);
    },
  });
  if (!args.dev) await buildIfStale();
  const port = await choosePort("the app", "PORT", 3000, host, portsTaken, log);
  const publicUrl = `http://${host === "127.0.0.1" || host === "0.0.0.0" ? "localhost" : hostInUrl(host)}:${port}`;
  // The web server (server/web/main.ts): Next.js behind node:http, WEB_WORKERS processes.
  const app = child("the app", "server/web/main.ts", args.dev ? ["--dev"] : [], {
    DATABASE_URL: databaseUrl,
    HOST: host,
    PORT: String(port),
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? publicUrl,
    NODE_ENV: process.env.NODE_ENV ?? (args.dev ? "development" : "production"),
  });
  await waitForHealth(`http://${hostInUrl(host)}:${port}/api/health`, app.exited, "the app");
  log(`Statehouse is running at ${publicUrl}`);
  startRuntime(databaseUrl, await startAgentApi(databaseUrl));
  if (!production) logDemoLogins(log);
  log("press Ctrl-C to stop");
  const code = await app.exited;
  if (!shuttingDown) log(`the app exited (code ${code}): stopping`);
  await shutdown(code || 1);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (!shuttingDown) log(`${signal}: stopping`);
    void shutdown(0);
  });
}
// A failure anywhere (an unhandled 'error' event included) is one line, and everything started is stopped.
const fail = (error: unknown) => {
  console.error(`[statehouse] start failed: ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
};
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
main().catch(fail);
