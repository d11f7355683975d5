import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../prisma/demo-data";
import { seedDemo } from "../../prisma/seed";
import { callerAs, failure } from "../testing/callers";
import { createTestDatabase, type TestDatabase } from "../testing/db";
import { SimulatedFleet } from "../testing/simulated-fleet";
import { createWorld, type World } from "../testing/runtime-fixtures";
import { allocateMemberPorts } from "./runtime/member-ports";
import { reconcileOnce } from "./runtime/reconcile";

let t: TestDatabase;
let fleet: SimulatedFleet;
let world: World;
const admin = DEMO_USERS.admin.email;

type Row = { id: string; stateServerId: string; ordinal: number; hostId: string | null; state: string };
const replicasOf = (): Promise<Row[]> =>
  t.db.replica.findMany({
    where: { stateServerId: { in: world.servers.map((s) => s.id) } },
    select: { id: true, stateServerId: true, ordinal: true, hostId: true, state: true },
  });

/**
 * The invariant at every step of a drain: each slot (server, ordinal) has
 * exactly one replica on a live host (none duplicated) and at least one running
 * replica somewhere once the fleet had converged (none lost).
 */
async function expectNoSlotDuplicatedOrLost(drained: string) {
  const rows = await replicasOf();
  for (const s of world.servers) {
    for (let ordinal = 0; ordinal < s.replicas; ordinal++) {
      const slot = rows.filter((r) => r.stateServerId === s.id && r.ordinal === ordinal && r.state !== "stopping");
      expect(
        slot.filter((r) => r.hostId !== drained),
        `${s.name}#${ordinal} off the drained host`,
      ).toHaveLength(1);
      expect(
        slot.some((r) => r.state === "running"),
        `${s.name}#${ordinal} has a running replica`,
      ).toBe(true);
    }
  }
}

/**
 * One controller pass. The simulated agents heartbeat only when the test says
 * so, so the pass watches hosts from now on (no host is marked down because a
 * slow test step outlasted three heartbeat intervals: failover is not tested here).
 */
async function pass() {
  const result = await reconcileOnce(t.db, "test-controller", { observingSince: Date.now() });
  // Placed members get their client and peer ports, as in the controller's tick (an agent starts only those).
  await t.db.$transaction((tx) => allocateMemberPorts(tx));
  return result;
}
async function converge(fleets: SimulatedFleet[], rounds: number) {
  for (let i = 0; i < rounds; i++) {
    await pass();
    for (const f of fleets) await f.heartbeat();
  }
  await pass();
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
  world = await createWorld(t.db, {
    zoneName: "drain-zone",
    tenantSlug: "drainco",
    servers: [
      { name: "drain-ha3", replicas: 3, environments: [{ name: "prod", stage: "production" }] },
      { name: "drain-ha1a", replicas: 1, environments: [{ name: "dev-a", stage: "development" }] },
      { name: "drain-ha1b", replicas: 1, environments: [{ name: "dev-b", stage: "development" }] },
    ],
  });
  fleet = new SimulatedFleet(t.db);
  await fleet.join(world.zoneId, ["d1", "d2", "d3", "d4"], ["az-1", "az-2", "az-3"]);
  await converge([fleet], 4);
});
afterAll(() => t.drop());

describe("host.drain", () => {
  it("persists the preview's plan in one step; the reconciler starts the new replicas, then retires the old ones", async () => {
    const rows = await replicasOf();
    expect(rows.every((r) => r.state === "running")).toBe(true);
    // The busiest host: it runs replicas of several servers.
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.hostId!, (counts.get(r.hostId!) ?? 0) + 1);
    const [hostId] = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
    const leaving = rows.filter((r) => r.hostId === hostId);
    expect(leaving.length).toBeGreaterThan(1);

    const caller = await callerAs(t.db, admin);
    const preview = await caller.host.drainPreview({ hostId });
    const drained = await caller.host.drain({ hostId, reason: "maintenance" });
    expect(drained.host.state).toBe("draining");
    expect(drained.complete).toBe(true);
    const key = (m: { stateServer: string; ordinal: number; to: string }) => `${m.stateServer}#${m.ordinal}->${m.to}`;
    expect(drained.moved.map(key).sort()).toEqual(preview.moves.map(key).sort());
    expect(drained.moved).toHaveLength(leaving.length);

    // Without any controller pass, the new replicas are already on their targets, scheduled.
    for (const m of drained.moved) {
      const row = await t.db.replica.findUniqueOrThrow({ where: { id: m.replicaId } });
      expect(row).toMatchObject({ stateServerId: m.stateServer, ordinal: m.ordinal, hostId: m.to, state: "scheduled" });
      expect(m.to).not.toBe(hostId);
    }
    const events = await t.db.placementEvent.findMany({ where: { kind: "drained", fromHostId: hostId } });
    expect(events).toHaveLength(leaving.length);
    const adminUser = await t.db.user.findUniqueOrThrow({ where: { email: admin } });
    expect(events.every((e) => e.causeType === "user" && e.actorId === adminUser.id)).toBe(true);
    expect(new Set(events.map((e) => e.replicaId))).toEqual(new Set(drained.moved.map((m) => m.replicaId)));
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "host.drain", targetId: hostId } });
    expect(audit).toMatchObject({ actorType: "user", reason: "maintenance", before: { state: "ready" } });
    expect((audit.after as { moved: unknown[] }).moved).toHaveLength(leaving.length);

    // Controller pass before the new replicas run: nothing is placed again, nothing retired.
    const first = await pass();
    expect(first.plan.place).toEqual([]);
    expect(first.plan.stop).toEqual([]);
    await expectNoSlotDuplicatedOrLost(hostId);
    expect((await replicasOf()).filter((r) => r.hostId === hostId && r.state === "running")).toHaveLength(leaving.length);

    // The agents start the new replicas (told on one beat, reported running on the next);
    // the next pass retires the leaving ones (make-before-break).
    await fleet.heartbeat();
    await expectNoSlotDuplicatedOrLost(hostId);
    expect((await pass()).plan.stop).toEqual([]);
    await fleet.heartbeat();
    await expectNoSlotDuplicatedOrLost(hostId);
    for (const m of drained.moved) expect((await t.db.replica.findUniqueOrThrow({ where: { id: m.replicaId } })).state).toBe("running");
    const second = await pass();
    expect(second.plan.place).toEqual([]);
    expect(second.plan.stop.map((s) => s.replica).sort()).toEqual(leaving.map((r) => r.id).sort());
    await expectNoSlotDuplicatedOrLost(hostId);

    // The drained host's agent stops them; the rows go, and the fleet is converged on the new hosts.
    await converge([fleet], 3);
    const after = await replicasOf();
    expect(after.filter((r) => r.hostId === hostId)).toEqual([]);
    expect(after).toHaveLength(rows.length);
    // The simulated agents run exactly these processes: no orphan left on the drained host.
    expect(new Set(fleet.runningReplicaIds())).toEqual(new Set(after.map((r) => r.id)));
    expect(after.every((r) => r.state === "running")).toBe(true);
    for (const m of drained.moved) expect(after.find((r) => r.id === m.replicaId)?.hostId).toBe(m.to);
    await expectNoSlotDuplicatedOrLost(hostId);
    expect((await pass()).plan.place).toEqual([]);

    // Idempotent: a second drain is a clear conflict and changes nothing.
    const again = await failure(caller.host.drain({ hostId }));
    expect(again.code).toBe("CONFLICT");
    expect(again.message).toMatch(/already draining/);
    expect(await replicasOf()).toHaveLength(rows.length);
    await caller.host.setState({ hostId, action: "uncordon" });
  });

  it("leaves what the engine cannot place where it is and reports it; concurrent drains: one wins, one conflicts", async () => {
    const caller = await callerAs(t.db, admin);
    const lonelyWorld = await createWorld(t.db, {
      zoneName: "lonely-zone",
      tenantSlug: "drainco",
      servers: [{ name: "lonely", replicas: 1, environments: [{ name: "solo", stage: "development" }] }],
    });
    const lonely = new SimulatedFleet(t.db);
    await lonely.join(lonelyWorld.zoneId, ["l1"], ["az-1"]);
    await converge([fleet, lonely], 3);
    const host = await t.db.host.findUniqueOrThrow({ where: { name: "l1" } });
    const replica = await t.db.replica.findFirstOrThrow({ where: { stateServerId: lonelyWorld.servers[0]!.id } });
    expect(replica).toMatchObject({ hostId: host.id, state: "running" });

    const results = await Promise.allSettled([caller.host.drain({ hostId: host.id }), caller.host.drain({ hostId: host.id })]);
    const won = results
      .filter((r) => r.status === "fulfilled")
      .map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof caller.host.drain>>>).value);
    expect(won).toHaveLength(1);
    expect(((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason as TRPCError).code).toBe("CONFLICT");
    expect(won[0]).toMatchObject({ complete: false, moved: [], unplaced: [{ stateServerName: "lonely", ordinal: 0 }] });
    expect(won[0]!.unplaced[0]!.message).toMatch(/hosts/);

    await converge([fleet, lonely], 2);
    expect(
      await t.db.replica.findMany({
        where: { stateServerId: lonelyWorld.servers[0]!.id },
        select: { id: true, hostId: true, state: true },
      }),
    ).toEqual([{ id: replica.id, hostId: host.id, state: "running" }]);
    expect((await t.db.host.findUniqueOrThrow({ where: { id: host.id } })).state).toBe("draining");
  });
});
