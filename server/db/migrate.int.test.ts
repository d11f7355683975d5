import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkHealth } from "../observability/health";
import { createPrismaClient } from "./client";
import { createTestDatabase, type TestDatabase } from "../testing/db";
import { listMigrations, migrate } from "./migrate";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe("migrate", () => {
  it("is idempotent on a migrated database and records every migration", async () => {
    const result = await migrate(t.url);
    expect(result.applied).toEqual([]);
    const names = (await listMigrations()).map((m) => m.name);
    const rows = await t.db.$queryRaw<{ migration_name: string }[]>`SELECT migration_name FROM "_prisma_migrations" ORDER BY 1`;
    expect(rows.map((r) => r.migration_name)).toEqual(names);
  });

  it("rolls back a failing migration whole and refuses an edited one", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "migrations-"));
    await mkdir(path.join(dir, "001_ok"));
    await writeFile(path.join(dir, "001_ok", "migration.sql"), "CREATE TABLE probe_ok (id int);");
    await mkdir(path.join(dir, "002_bad"));
    await writeFile(path.join(dir, "002_bad", "migration.sql"), "CREATE TABLE probe_half (id int); SELECT nonsense_fn();");
    await expect(migrate(t.url, dir)).rejects.toThrow(/002_bad failed and was rolled back/);
    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    const tables = await client.query("SELECT to_regclass('probe_ok') AS ok, to_regclass('probe_half') AS half");
    expect(tables.rows[0]).toEqual({ ok: "probe_ok", half: null });
    await client.end();
    await writeFile(path.join(dir, "001_ok", "migration.sql"), "CREATE TABLE probe_ok (id bigint);");
    await expect(migrate(t.url, dir)).rejects.toThrow(/001_ok was changed after it was applied/);
  });
});

describe("health", () => {
  it("is ok against a live database and unavailable against a dead one", async () => {
    expect((await checkHealth(t.db)).status).toBe("ok");
    const dead = createPrismaClient("postgresql://postgres@127.0.0.1:1/none", 1);
    const health = await checkHealth(dead, 1500);
    expect(health).toMatchObject({ status: "unavailable", checks: { database: "unreachable" } });
    await dead.$disconnect();
  });
});
