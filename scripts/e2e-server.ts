import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { seedDemo } from "../prisma/seed";
import { createPrismaClient } from "../server/db/client";
import { migrate } from "../server/db/migrate";
import { joinTokens } from "../server/testing/runtime-fixtures";
import { ProcessFleet } from "../server/testing/process-fleet";
import { freePort, reservePortRange } from "../server/testing/ports";
import { databaseUrl, ensureTestPostgres, PROJECT_DIR } from "../server/testing/postgres";

/**
 * Playwright's web server: a fresh database (migrated, demo data), then the built
 * app on 127.0.0.1 (E2E_PORT, or a free port when unset, printed), a controller and three host agents (one per failure domain,
 * zone shared-east) that join through the app, so environments really run.
 * On SIGTERM (or any exit) it kills the fleet's process groups (agents and
 * their replicas), stops the app and an embedded Postgres, if it started one.
 * The fleet starts only with E2E_FLEET=1 (the environments spec starts such a
 * server of its own, on its own database, so the placement specs' simulated
 * fleet is not reconciled by a real controller). With E2E_WATCH_STDIN=1 it
 * also shuts down when its parent closes stdin (the parent died).
 */
const port = Number(process.env.E2E_PORT) || (await freePort());
console.error(`e2e server: http://127.0.0.1:${port}`);
const server = await ensureTestPostgres((m) => console.error(m));
const name = `statehouse_e2e_${port}`;
const admin = new pg.Client({ connectionString: server.url });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${name}`);
await admin.end();
const url = databaseUrl(server.url, name);
await migrate(url);
const db = createPrismaClient(url, 2);
await seedDemo(db);
const zone = await db.securityZone.findUniqueOrThrow({ where: { name: "shared-east" }, select: { id: true } });
const fleetTokens = process.env.E2E_FLEET === "1" ? await joinTokens(db, zone.id, 3) : [];
await db.$disconnect();
// Fast timings so a state change shows within a second or two.
const timing = { STATEHOUSE_RECONCILE_MS: "500", STATEHOUSE_HEARTBEAT_MS: "1000" };

// The app as `npm start` runs it: the web server (Next.js behind node:http, one worker per core).
const app = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT_DIR, "server", "web", "main.ts")], {
  cwd: PROJECT_DIR,
  stdio: "inherit",
  env: {
    ...process.env,
    DATABASE_URL: url,
    HOST: "127.0.0.1",
    PORT: String(port),
    // The specs play the reverse proxy: a spec that needs its own client address (the
    // sign-in limit's) sends X-Forwarded-For. Without a trusted proxy the web server pins
    // it to the peer (server/web/web-server.int.test.ts checks that).
    TRUST_PROXY: "1",
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    NODE_ENV: "production",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    ...timing,
  },
});

// Agent and member ports: a range no other test run or copy of the app holds, below the ephemeral ports.
const portBase = reservePortRange(3 * 200);
const fleet = new ProcessFleet({ DATABASE_URL: url, LOG_LEVEL: "warn", ...timing });
if (fleetTokens.length) {
  fleet.controller(`e2e-${port}`);
  fleetTokens.forEach((token, i) =>
    fleet.agent(`e2e-${port}-host-${i + 1}`, {
      controller: `http://127.0.0.1:${port}`,
      token,
      failureDomain: `az-${i + 1}`,
      ports: `${portBase + i * 200}-${portBase + i * 200 + 199}`,
      cpu: 8000,
      memory: 16384,
    }),
  );
}
process.on("exit", () => fleet.killAll());
const stop = () => {
  fleet.killAll();
  app.kill("SIGTERM");
};
process.on("SIGTERM", stop);
if (process.env.E2E_WATCH_STDIN === "1") {
  process.stdin.on("end", stop);
  process.stdin.resume();
}
process.on("SIGINT", stop);
app.on("exit", async (code) => {
  await server.stop();
  process.exit(code ?? 0);
});
