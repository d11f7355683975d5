import pg from "pg";
import type { TestProject } from "vitest/node";
import { ADVISORY_LOCKS } from "../db/locks";
import { listMigrations, migrate } from "../db/migrate";
import { databaseUrl, ensureTestPostgres } from "./postgres";

declare module "vitest" {
  export interface ProvidedContext {
    testPgUrl: string;
    templateDatabase: string;
  }
}

/**
 * Integration tests: one migrated template database per migration set; each
 * test file clones it (CREATE DATABASE … TEMPLATE), which takes milliseconds.
 */
export default async function setup(project: TestProject) {
  const server = await ensureTestPostgres(console.log);
  const migrations = await listMigrations();
  const fingerprint = migrations
    .map((m) => m.checksum.slice(0, 6))
    .join("")
    .slice(-24);
  const template = `statehouse_tpl_${fingerprint}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCKS.testTemplate]);
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
    if (!rowCount) {
      const building = `${template}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${building}`);
      await admin.query(`CREATE DATABASE ${building}`);
      await migrate(databaseUrl(server.url, building));
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
    }
    await admin.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCKS.testTemplate]);
  } finally {
    await admin.end();
  }
  project.provide("testPgUrl", server.url);
  project.provide("templateDatabase", template);
  return async () => {
    await server.stop();
  };
}
