import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/db";
import { dispatchQueuedJobs, requestRuntimeJob, startJobWorkers } from "./jobs";
import { until } from "../../testing/process-fleet";

/** Durable jobs through a real pg-boss: a job whose retries are exhausted ends `failed` with the reason. */
let t: TestDatabase;
let boss: PgBoss;

beforeAll(async () => {
  t = await createTestDatabase();
  boss = new PgBoss({ connectionString: t.url, max: 2 });
  boss.on("error", () => undefined);
  await boss.start();
  await startJobWorkers(t.db, boss, "test-worker");
}, 30_000);

afterAll(async () => {
  await boss?.stop({ graceful: false, timeout: 2000 }).catch(() => undefined);
  await t?.drop();
});

describe("runtime jobs", () => {
  it("a job that keeps failing ends failed with the reason once pg-boss has no retry left (not running forever)", async () => {
    // A state server that does not exist: every attempt fails with a (non-domain) database error.
    const job = await t.db.$transaction((tx) =>
      requestRuntimeJob(tx, { kind: "change_ha", targetId: "no-such-server", params: { replicas: 3 }, actorLabel: "test" }),
    );
    await dispatchQueuedJobs(t.db, boss, { retryLimit: 1, retryDelay: 0, retryBackoff: false });
    const row = await until(
      "the job failed",
      async () => {
        const r = await t.db.runtimeJob.findUniqueOrThrow({ where: { id: job.id } });
        return r.state === "failed" && r;
      },
      20_000,
      100,
    );
    // The first failure was retried (pg-boss may start the retry within milliseconds, so only the count shows it).
    expect(row).toMatchObject({ attempts: 2, progress: 0 });
    expect(row.error).toMatch(/^gave up after 2 attempts: /);
    expect(row.finishedAt).toBeInstanceOf(Date);
    expect(await t.db.auditEvent.count({ where: { action: "runtime_job.failed", targetId: job.id } })).toBe(1);
  }, 30_000);
});
