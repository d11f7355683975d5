import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/db";
import { ROW_KEY_COLUMNS, type Model } from "./feed-keys";
import { cachedModels } from "./read-model";

/**
 * A cached read is only as fresh as the change feed's triggers: a model some
 * read model depends on (server/db/read-model.ts) without a trigger for every
 * write it allows would be served stale forever. Checked against pg_trigger
 * on a database migrated like production.
 */
const NOTIFY = ["statehouse_notify_change", "statehouse_notify_row_change"];
/** Functions that refuse a write outright (the audit log is append-only): nothing to notify. */
const REFUSE = ["audit_event_append_only"];
const EVENTS = { INSERT: 4, DELETE: 8, UPDATE: 16, TRUNCATE: 32 } as const;
const BEFORE = 2;

interface TriggerRow {
  table: string;
  fn: string;
  tgtype: number;
  args: string[];
}

async function triggersOf(client: pg.Client, tables: readonly string[]): Promise<TriggerRow[]> {
  const { rows } = await client.query<{ table: string; fn: string; tgtype: number; args: string }>(
    `SELECT c.relname AS table, p.proname AS fn, t.tgtype::int AS tgtype, encode(t.tgargs, 'escape') AS args
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND c.relname = ANY($1)`,
    [tables],
  );
  // tgargs is each argument followed by a NUL (shown as \000 by encode ... 'escape').
  return rows.map((r) => ({ ...r, args: r.args.split("\\000").filter(Boolean) }));
}

/** For each model: the writes no trigger notifies (nor refuses), and row-key columns that differ from ROW_KEY_COLUMNS. */
async function feedGaps(client: pg.Client, models: readonly Model[]) {
  const triggers = await triggersOf(client, models);
  const gaps: Record<string, string[]> = {};
  for (const model of models) {
    const own = triggers.filter((t) => t.table === model);
    const handled = (t: TriggerRow) =>
      (NOTIFY.includes(t.fn) && !(t.tgtype & BEFORE)) || (REFUSE.includes(t.fn) && (t.tgtype & BEFORE) !== 0);
    const missing = Object.entries(EVENTS)
      .filter(([, bit]) => !own.some((t) => handled(t) && t.tgtype & bit))
      .map(([event]) => event);
    const expected: readonly string[] = (ROW_KEY_COLUMNS as Partial<Record<Model, readonly string[]>>)[model] ?? [];
    const rowTrigger = own.find((t) => t.fn === "statehouse_notify_row_change");
    if (expected.length && rowTrigger?.args.join() !== expected.join()) {
      missing.push(`row keys ${JSON.stringify(rowTrigger?.args ?? [])} (feed-keys.ts: ${JSON.stringify(expected)})`);
    } else if (!expected.length && rowTrigger) {
      missing.push(`row keys ${JSON.stringify(rowTrigger.args)} sent but not in feed-keys.ts`);
    }
    if (missing.length) gaps[model] = missing;
  }
  return gaps;
}

let t: TestDatabase;
let client: pg.Client;
beforeAll(async () => {
  t = await createTestDatabase();
  client = new pg.Client({ connectionString: t.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await t.drop();
});

describe("every cached model has its change trigger", () => {
  it("notifies every write to each model a read model depends on, with the row keys feed-keys.ts expects", async () => {
    const models = cachedModels();
    expect(models.length).toBeGreaterThan(5);
    expect(await feedGaps(client, models), "models cached without a change trigger (add one in a migration)").toEqual({});
  });

  it("finds a model whose trigger is gone, and a row trigger whose columns differ", async () => {
    await client.query(`DROP TRIGGER "Tenant_change" ON "Tenant"`);
    await client.query(`DROP TRIGGER "Replica_change" ON "Replica"`);
    await client.query(
      `CREATE TRIGGER "Replica_change" AFTER INSERT OR UPDATE OR DELETE ON "Replica" FOR EACH ROW EXECUTE FUNCTION "statehouse_notify_row_change"('hostId')`,
    );
    expect(await feedGaps(client, cachedModels())).toEqual({
      Tenant: ["INSERT", "DELETE", "UPDATE", "TRUNCATE"],
      Replica: ['row keys ["hostId"] (feed-keys.ts: ["stateServerId"])'],
    });
  });
});
