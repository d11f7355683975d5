import { spawn, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { seedBaseline, seedDemo } from "../prisma/seed";
import { DEMO_PASSWORD, DEMO_USERS } from "../prisma/demo-data";
import { createPrismaClient } from "../server/db/client";
import { startEmbeddedPostgres } from "../server/db/embedded";
import { ensureDatabase, migrate } from "../server/db/migrate";
import { ensureEtcd } from "./provision-etcd";
import { createAdmin } from "../server/services/users";

/**
 * `npm start`: database (embedded Postgres unless DATABASE_URL is set), migrations,
 * seed, build when the sources changed, then the app, the agent API (the agent
 * protocol's own process, AGENT_API_HOST/AGENT_API_PORT, default 127.0.0.1:3001),
 * the controller and (demo) the local fleet. Ctrl-C stops it all cleanly: fleet,
 * agent API, app, Postgres.
 */
const PROJECT_DIR = path.resolve(import.meta.dirname, "..");
const { values: args } = parseArgs({ options: { dev: { type: "boolean", default: false } } });
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";
const production = process.env.STATEHOUSE_ENV === "production";
const agentApiHost = process.env.AGENT_API_HOST ?? "127.0.0.1";
const agentApiPort = Number(process.env.AGENT_API_PORT ?? 3001);
const log = (message: string) => console.log(`[statehouse] ${message}`);
const stopActions: (() => Promise<void>)[] = [];

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
  if (result.status !== 0) throw new Error("next build failed");
}

async function prepareDatabase(): Promise<string> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    const embedded = await startEmbeddedPostgres({
      projectDir: PROJECT_DIR,
      port: Number(process.env.EMBEDDED_PG_PORT ?? 54329),
      database: "statehouse",
      log,
    });
    stopActions.push(async () => {
      log("stopping embedded PostgreSQL");
      await embedded.stop();
    });
    url = embedded.url;
    log(`embedded PostgreSQL running on 127.0.0.1 (data in ${embedded.dataDir})`);
  } else {
    log("using the database in DATABASE_URL");
  }
  await ensureDatabase(url);
  const result = await migrate(url);
  log(result.applied.length ? `applied migrations: ${result.applied.join(", ")}` : "database schema up to date");
  const db = createPrismaClient(url, 2);
  try {
    if (production) {
      await seedBaseline(db);
      const email = process.env.STATEHOUSE_ADMIN_EMAIL;
      const password = process.env.STATEHOUSE_ADMIN_PASSWORD;
      if (email && password && (await db.user.count({ where: { platformRole: "admin" } })) === 0) {
        await createAdmin(db, { email, name: "Administrator", password });
        log(`created the first administrator ${email}`);
      }
    } else if (await seedDemo(db)) {
      log("seeded demo data");
    }
  } finally {
    await db.$disconnect();
  }
  return url;
}

async function waitForHealth(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the app did not answer ${url} within ${timeoutMs / 1000} s`);
}

async function shutdown(code: number) {
  for (const action of stopActions.reverse()) await action().catch((e: unknown) => log(String(e)));
  process.exit(code);
}

/** The agent API process (server/agent-api/main.ts): what host agents talk to; stopped after the fleet, before the app. */
async function startAgentApi(databaseUrl: string): Promise<string> {
  const api = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT_DIR, "server", "agent-api", "main.ts")], {
    cwd: PROJECT_DIR,
    stdio: "inherit",
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      AGENT_API_HOST: agentApiHost,
      AGENT_API_PORT: String(agentApiPort),
      NODE_ENV: process.env.NODE_ENV ?? "production",
    },
  });
  const exited = new Promise<void>((resolve) => api.on("exit", () => resolve()));
  stopActions.push(async () => {
    if (api.exitCode === null && api.signalCode === null) api.kill("SIGTERM");
    await exited;
  });
  const probeHost = agentApiHost === "0.0.0.0" ? "127.0.0.1" : agentApiHost;
  const url = `http://${probeHost.includes(":") ? `[${probeHost}]` : probeHost}:${agentApiPort}`;
  await Promise.race([
    waitForHealth(`${url}/healthz`, 30_000),
    exited.then(() => Promise.reject(new Error(`the agent API exited (is port ${agentApiPort} free? AGENT_API_PORT)`))),
  ]);
  log(`agent API running at ${url} (agents join and heartbeat here)`);
  return url;
}

/** The controller and (demo mode) a local fleet of host agents pointing at the agent API; stopped before the agent API, the app and Postgres. */
function startRuntime(databaseUrl: string, appUrl: string, agentApiUrl: string) {
  const fleet = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(PROJECT_DIR, "scripts", "demo-fleet.ts"),
      "--app",
      appUrl,
      "--agent-api",
      agentApiUrl,
      ...(production ? ["--controller-only"] : []),
    ],
    { cwd: PROJECT_DIR, stdio: "inherit", env: { ...process.env, DATABASE_URL: databaseUrl } },
  );
  const exited = new Promise<void>((resolve) => fleet.on("exit", () => resolve()));
  stopActions.push(async () => {
    if (fleet.exitCode === null) fleet.kill("SIGTERM");
    await exited;
  });
  log(production ? "controller started" : "controller and demo fleet starting (6 host agents)");
}

async function main() {
  ensureEtcd(log);
  const databaseUrl = await prepareDatabase();
  if (!args.dev) await buildIfStale();
  const publicUrl = `http://localhost:${port}`;
  // The web server (server/web/main.ts): Next.js behind node:http, WEB_WORKERS processes.
  const app = spawn(
    process.execPath,
    ["--import", "tsx", path.join(PROJECT_DIR, "server", "web", "main.ts"), ...(args.dev ? ["--dev"] : [])],
    {
      cwd: PROJECT_DIR,
      stdio: "inherit",
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        HOST: host,
        PORT: String(port),
        NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? publicUrl,
        NODE_ENV: process.env.NODE_ENV ?? (args.dev ? "development" : "production"),
      },
    },
  );
  const exited = new Promise<number>((resolve) => app.on("exit", (code) => resolve(code ?? 0)));
  stopActions.push(async () => {
    if (app.exitCode === null) app.kill("SIGTERM");
    await exited;
  });
  await waitForHealth(`http://127.0.0.1:${port}/api/health`);
  log(`Statehouse is running at ${publicUrl}`);
  startRuntime(databaseUrl, `http://127.0.0.1:${port}`, await startAgentApi(databaseUrl));
  if (!production) {
    log(`demo logins (password "${DEMO_PASSWORD}"):`);
    for (const [role, user] of Object.entries(DEMO_USERS)) log(`  ${role.padEnd(8)} ${user.email}`);
  }
  log("press Ctrl-C to stop");
  const code = await exited;
  await shutdown(code);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    void shutdown(0);
  });
}

main().catch(async (error: unknown) => {
  console.error(`[statehouse] start failed: ${(error as Error).message}`);
  await shutdown(1);
});
