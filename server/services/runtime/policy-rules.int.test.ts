import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Controller } from "../../controller/controller";
import { callerAs } from "../../testing/callers";
import { createTestDatabase, type TestDatabase } from "../../testing/db";
import { createWorld, type World } from "../../testing/runtime-fixtures";

/**
 * The controller places replicas under the rules administrators create in the
 * UI (through the policy router, so `params` is stored exactly as the admin
 * form stores it: never_share `{tenantIds: [a, b]}`, stage_separation `{}`).
 * A production server of tenant A fills three hosts; a development server of A
 * (stage separation) and a production server of B (never-share with A) must
 * not join it, and must not share a host with each other (production vs
 * development), so they wait unplaced, with the rule's reason, until new hosts
 * come.
 */
let t: TestDatabase;
let controller: Controller;
let a: World;
let b: World;

async function addHost(name: string, zoneId: string, failureDomain: string) {
  await t.db.host.create({
    data: { name, zoneId, failureDomain, cpuMillis: 4000, memoryMiB: 8192, state: "ready", lastHeartbeatAt: new Date() },
  });
}

/** Fresh heartbeats for every host (no agents here), then one controller pass. */
async function pass() {
  await t.db.host.updateMany({ data: { lastHeartbeatAt: new Date() } });
  await controller.tick();
}

const rowsOf = (stateServerId: string) =>
  t.db.replica.findMany({
    where: { stateServerId },
    select: { ordinal: true, hostId: true, state: true, failureReason: true },
    orderBy: { ordinal: "asc" },
  });

beforeAll(async () => {
  t = await createTestDatabase();
  a = await createWorld(t.db, {
    zoneName: "pol",
    tenantSlug: "tenant-a",
    servers: [
      { name: "a-prod", replicas: 3, environments: [{ name: "prod", stage: "production" }] },
      { name: "a-dev", replicas: 1, environments: [{ name: "dev", stage: "development" }] },
    ],
  });
  b = await createWorld(t.db, {
    zoneName: "pol",
    tenantSlug: "tenant-b",
    servers: [{ name: "b-prod", replicas: 1, environments: [{ name: "prod", stage: "production" }] }],
  });
  await t.db.user.create({ data: { email: "root@policy.test", name: "Root", passwordHash: "x", platformRole: "admin" } });
  const admin = await callerAs(t.db, "root@policy.test");
  await admin.policy.create({ name: "a-never-with-b", kind: "never_share", params: { tenantIds: [a.tenantId, b.tenantId] } });
  await admin.policy.create({ name: "keep-stages-apart", kind: "stage_separation", params: {} });
  for (const [i, d] of ["az-1", "az-2", "az-3"].entries()) await addHost(`pol-${i}`, a.zoneId, d);
  controller = new Controller({ databaseUrl: t.url, id: "ctl-policy", jobs: false, log: () => undefined });
}, 30_000);

afterAll(async () => {
  await controller?.stop();
  await t?.drop();
});

describe("the controller honours admin policy rules", () => {
  it("production fills the hosts; dev (stage separation) and tenant B (never-share) wait unplaced with the rule's reason", async () => {
    await pass();
    const prod = await rowsOf(a.servers[0]!.id);
    expect(prod.map((r) => r.state)).toEqual(["scheduled", "scheduled", "scheduled"]);
    expect(new Set(prod.map((r) => r.hostId)).size).toBe(3);

    const [dev] = await rowsOf(a.servers[1]!.id);
    expect(dev).toMatchObject({ hostId: null, state: "pending" });
    expect(dev!.failureReason).toMatch(/separation/);
    const [bProd] = await rowsOf(b.servers[0]!.id);
    expect(bProd).toMatchObject({ hostId: null, state: "pending" });
    expect(bProd!.failureReason).toMatch(/never|share/i);
  }, 20_000);

  it("new hosts take them: never on tenant A's production hosts, and dev never beside B's production", async () => {
    await addHost("pol-3", a.zoneId, "az-1");
    await addHost("pol-4", a.zoneId, "az-2");
    await pass();
    const prodHosts = new Set((await rowsOf(a.servers[0]!.id)).map((r) => r.hostId));
    const [dev] = await rowsOf(a.servers[1]!.id);
    const [bProd] = await rowsOf(b.servers[0]!.id);
    expect(dev).toMatchObject({ state: "scheduled", failureReason: null });
    expect(bProd).toMatchObject({ state: "scheduled", failureReason: null });
    expect(prodHosts.has(dev!.hostId)).toBe(false);
    expect(prodHosts.has(bProd!.hostId)).toBe(false);
    expect(dev!.hostId).not.toBe(bProd!.hostId);

    // Converged: another pass changes nothing.
    const before = await t.db.placementEvent.count();
    await pass();
    expect(await t.db.placementEvent.count()).toBe(before);
  }, 20_000);
});
