import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../../prisma/demo-data";
import { seedDemo } from "../../../prisma/seed";
import { callerAs, failure } from "../../testing/callers";
import { createTestDatabase, type TestDatabase } from "../../testing/db";
import { runJob } from "../runtime/jobs";
import { SimulatedFleet } from "../../testing/simulated-fleet";

let t: TestDatabase;
let fleet: SimulatedFleet;
let acmeId: string;
let globexId: string;
let zoneId: string;
const alice = DEMO_USERS.user.email;
const admin = DEMO_USERS.admin.email;

const statusOf = async (id: string) => (await t.db.environment.findUniqueOrThrow({ where: { id } })).status;
const quotaOf = (tenantId: string) => t.db.quota.findUniqueOrThrow({ where: { tenantId } });

/** Runs a job while the simulated controller and agents converge around it. */
async function runWithFleet(jobId: string) {
  let done = false;
  const job = runJob(t.db, jobId, "test-worker", 20_000).finally(() => (done = true));
  while (!done) {
    await fleet.pass();
    await fleet.heartbeat();
  }
  await job;
  await fleet.converge(3);
  return t.db.runtimeJob.findUniqueOrThrow({ where: { id: jobId } });
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
  acmeId = (await t.db.tenant.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  globexId = (await t.db.tenant.findUniqueOrThrow({ where: { slug: "globex" } })).id;
  zoneId = (await t.db.securityZone.findUniqueOrThrow({ where: { name: "shared-east" } })).id;
  fleet = new SimulatedFleet(t.db);
  await fleet.join(zoneId, ["h1", "h2", "h3", "h4", "h5", "h6", "h7"], ["az-1", "az-2", "az-3"]);
});
afterAll(() => t.drop());

describe("environment lifecycle", () => {
  let stagingId: string;
  let prodId: string;

  it("pending -> placing -> starting, driven by the controller; writable (running) only once its etcd user exists", async () => {
    const caller = await callerAs(t.db, alice);
    const env = await caller.environment.create({ tenantId: acmeId, name: "staging", stage: "staging", haLevel: 1, zoneId });
    stagingId = env.id;
    expect(await statusOf(env.id)).toBe("pending");
    await fleet.pass();
    const placed = await t.db.environment.findUniqueOrThrow({ where: { id: env.id } });
    expect(placed.stateServerId).toBeTruthy();
    expect(placed.status).toBe("placing");
    expect(await t.db.replica.count({ where: { stateServerId: placed.stateServerId! } })).toBe(1);
    await fleet.pass();
    expect(await statusOf(env.id)).toBe("starting");
    await fleet.converge();
    // Its replica runs, but the simulated fleet makes no etcd user, so it is not writable yet (real clusters:
    // etcd-cluster.int.test.ts and environment-data.int.test.ts).
    expect(await statusOf(env.id)).toBe("starting");
    const actions = (await t.db.auditEvent.findMany({ where: { targetId: env.id }, orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["environment.create", "environment.assign", "environment.status"]);

    const detail = await caller.environment.get({ id: env.id });
    expect(detail).toMatchObject({
      name: "staging",
      status: "starting",
      progress: { running: 1, total: 1 },
      stateServer: { tenancy: "shared", replicas: 1 },
    });
    expect(detail.replicas).toHaveLength(1);
    expect(detail.replicas[0]).toMatchObject({ healthy: true, state: "running" });
    // No endpoints or connection before the cluster is bootstrapped and the environment's user exists (never here: no etcd).
    expect(detail.endpoints).toEqual([]);
    expect(detail.connection).toBeNull();
    expect(detail.timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(["environment.create", "environment.assign", "replica.placed"]),
    );
    expect(await caller.environment.get({ name: "staging" })).toMatchObject({ id: env.id });
  });

  it("a production environment with HA 3 gets its own server with replicas on three failure domains", async () => {
    const caller = await callerAs(t.db, alice);
    const env = await caller.environment.create({ tenantId: acmeId, name: "production", stage: "production", haLevel: 3, zoneId });
    prodId = env.id;
    await fleet.converge();
    const detail = await caller.environment.get({ id: env.id });
    expect(detail.status).toBe("starting");
    expect(detail.replicas.filter((r) => r.healthy)).toHaveLength(3);
    expect(new Set(detail.replicas.map((r) => r.failureDomain)).size).toBe(3);
    expect(detail.endpoints).toEqual([]);
    const staging = await caller.environment.get({ id: stagingId });
    expect(detail.stateServer!.id).not.toBe(staging.stateServer!.id);
  });

  it("another tenant's staging environment shares the staging server; names are hidden across tenants", async () => {
    const gina = await callerAs(t.db, "gina@globex.test");
    const env = await gina.environment.create({ tenantId: globexId, name: "globex-staging", stage: "staging", haLevel: 1, zoneId });
    await fleet.converge(2);
    const mine = await gina.environment.get({ id: env.id });
    const aliceView = await (await callerAs(t.db, alice)).environment.get({ id: stagingId });
    expect(mine.stateServer!.id).toBe(aliceView.stateServer!.id);
    expect(mine.status).toBe("starting");
    expect(aliceView.neighbours).toEqual([
      { id: null, name: "another tenant's environment", stage: "staging", status: "starting", hidden: true },
    ]);
    const adminView = await (await callerAs(t.db, admin)).environment.get({ id: stagingId });
    expect(adminView.neighbours[0]).toMatchObject({ name: "globex-staging", hidden: false });
    // A foreign id is not found, never forbidden.
    expect((await failure(gina.environment.get({ id: stagingId }))).code).toBe("NOT_FOUND");
    expect((await failure(gina.environment.rotateCredential({ id: stagingId }))).code).toBe("NOT_FOUND");
  });

  it("an environment that cannot be placed fails with the reason", async () => {
    const caller = await callerAs(t.db, alice);
    const env = await caller.environment.create({ tenantId: acmeId, name: "doomed", stage: "development", haLevel: 1, zoneId });
    await t.db.zoneGrant.delete({ where: { tenantId_zoneId: { tenantId: acmeId, zoneId } } });
    try {
      await fleet.pass();
      const row = await t.db.environment.findUniqueOrThrow({ where: { id: env.id } });
      expect(row.status).toBe("failed");
      expect(row.statusReason).toMatch(/granted none/);
    } finally {
      await t.db.zoneGrant.create({ data: { tenantId: acmeId, zoneId } });
    }
    await caller.environment.remove({ id: env.id, confirmName: "doomed" });
  });

  it("two concurrent creations with one name: one succeeds, the other is a CONFLICT on name; quota counted once", async () => {
    const caller = await callerAs(t.db, alice);
    const before = await quotaOf(acmeId);
    const input = { tenantId: acmeId, name: "race", stage: "development" as const, haLevel: 1 as const, zoneId };
    const results = await Promise.allSettled([caller.environment.create(input), caller.environment.create(input)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(TRPCError);
    expect((rejected.reason as TRPCError).code).toBe("CONFLICT");
    expect((rejected.reason as TRPCError).message).toMatch(/race already exists/);
    expect((await quotaOf(acmeId)).usedDevelopmentEnvs).toBe(before.usedDevelopmentEnvs + 1);
    const id = (results.find((r) => r.status === "fulfilled") as PromiseFulfilledResult<{ id: string }>).value.id;
    await caller.environment.remove({ id, confirmName: "race" });
  });

  it("preview: joins the shared staging server, or a new server placed on hosts; names the rule that forbids", async () => {
    const caller = await callerAs(t.db, alice);
    const joins = await caller.environment.preview({ tenantId: acmeId, name: "staging", stage: "staging", haLevel: 1, zoneId });
    expect(joins.nameTaken).toBe(true);
    expect(joins.placement).toMatchObject({ decision: "existing", replicas: [{ ordinal: 0 }] });
    const fresh = await caller.environment.preview({ tenantId: acmeId, name: "perf", stage: "development", haLevel: 3, zoneId });
    expect(fresh.ok).toBe(true);
    expect(fresh.placement).toMatchObject({ decision: "new", tenancy: "shared", unplaced: [] });
    expect(new Set(fresh.placement!.replicas.map((r) => r.hostName)).size).toBe(3);
    expect(fresh.quota.footprint).toEqual({ replicas: 3, cpuMillis: 750, memoryMiB: 768 });
    await t.db.policyRule.create({ data: { kind: "min_ha", name: "prod-needs-5", params: { stage: "production", minReplicas: 5 } } });
    await t.db.quota.update({ where: { tenantId: acmeId }, data: { maxReplicas: 5 } });
    try {
      const refused = await caller.environment.preview({ tenantId: acmeId, stage: "production", haLevel: 3, zoneId });
      expect(refused.ok).toBe(false);
      expect(refused.violations).toEqual([expect.objectContaining({ rule: "prod-needs-5" })]);
      expect(refused.quota.exceeded).toBe(
        "This needs 3 replicas but Acme has 1 of its 5 left; a platform administrator can raise the quota, or you can remove an environment you no longer need.",
      );
    } finally {
      await t.db.policyRule.deleteMany({ where: { name: "prod-needs-5" } });
      await t.db.quota.update({ where: { tenantId: acmeId }, data: { maxReplicas: 15 } });
    }
  });

  it("HA change 3 -> 5 -> 3 on its own server: a tracked job, replicas added and retired, quota adjusted", async () => {
    const caller = await callerAs(t.db, alice);
    await t.db.quota.update({ where: { tenantId: acmeId }, data: { maxReplicas: 30, maxCpuMillis: 30_000, maxMemoryMiB: 30_000 } });
    const before = await quotaOf(acmeId);
    const up = await caller.environment.setHa({ id: prodId, haLevel: 5 });
    expect(up.mode).toBe("scale");
    expect((await failure(caller.environment.setHa({ id: prodId, haLevel: 1 }))).code).toBe("CONFLICT");
    expect((await runWithFleet(up.jobId!)).state).toBe("succeeded");
    let detail = await caller.environment.get({ id: prodId });
    expect(detail).toMatchObject({ haLevel: 5, status: "starting", progress: { running: 5, total: 5 } });
    expect((await quotaOf(acmeId)).usedReplicas).toBe(before.usedReplicas + 2);
    const down = await caller.environment.setHa({ id: prodId, haLevel: 3 });
    expect((await runWithFleet(down.jobId!)).state).toBe("succeeded");
    detail = await caller.environment.get({ id: prodId });
    expect(detail).toMatchObject({ haLevel: 3, status: "starting" });
    expect(detail.replicas).toHaveLength(3);
    expect((await quotaOf(acmeId)).usedReplicas).toBe(before.usedReplicas);
  });

  it("remove: asks for the name, releases quota, audits; the controller's pass removes the row and the emptied state server", async () => {
    const caller = await callerAs(t.db, alice);
    const detail = await caller.environment.get({ id: prodId });
    const before = await quotaOf(acmeId);
    const wrong = await failure(caller.environment.remove({ id: prodId, confirmName: "staging" }));
    expect(wrong.code).toBe("BAD_REQUEST");
    expect(
      (await failure((await callerAs(t.db, "vera@acme.test")).environment.remove({ id: prodId, confirmName: "production" }))).code,
    ).toBe("FORBIDDEN");
    const removed = await caller.environment.remove({ id: prodId, confirmName: "production" });
    expect(removed.status).toBe("removing");
    const after = await quotaOf(acmeId);
    expect(after.usedProductionEnvs).toBe(before.usedProductionEnvs - 1);
    expect(after.usedReplicas).toBe(before.usedReplicas - 3);
    expect(await t.db.auditEvent.count({ where: { action: "environment.remove", targetId: prodId } })).toBe(1);
    // Removal is finished by the controller (on a real cluster it deletes keys, user and role first: environment-data.int.test.ts).
    await fleet.pass();
    expect(await t.db.environment.findUnique({ where: { id: prodId } })).toBeNull();
    expect(await t.db.stateServer.findUnique({ where: { id: detail.stateServer!.id } })).toBeNull();
    expect(await t.db.auditEvent.count({ where: { action: "state_server.remove", targetId: detail.stateServer!.id } })).toBe(1);
    // The agents are told to stop the replicas.
    await fleet.heartbeat();
    for (const r of detail.replicas) expect(fleet.runningReplicaIds()).not.toContain(r.id);
    expect((await failure(caller.environment.get({ id: prodId }))).code).toBe("NOT_FOUND");
    // The shared staging server keeps Acme's and Globex's environments.
    expect(await statusOf(stagingId)).toBe("starting");
  });
});
