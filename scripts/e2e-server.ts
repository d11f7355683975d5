import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { seedDemo } from "../prisma/seed";
import { createPrismaClient } from "../server/db/client";
import { migrate } from "../server/db/migrate";
import { databaseUrl, ensureTestPostgres, PROJECT_DIR } from "../server/testing/postgres";

/**
 * Playwright's web server: a fresh database (migrated, demo data), then the built
 * app on 127.0.0.1. Stops the app (and an embedded Postgres, if it started one) on SIGTERM.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
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
await db.$disconnect();

const app = spawn(path.join(PROJECT_DIR, "node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
  cwd: PROJECT_DIR,
  stdio: "inherit",
  env: {
    ...process.env,
    DATABASE_URL: url,
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    NODE_ENV: "production",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  },
});
const stop = () => {
  app.kill("SIGTERM");
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
app.on("exit", async (code) => {
  await server.stop();
  process.exit(code ?? 0);
});
