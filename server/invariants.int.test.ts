/**
 * Concurrency invariants under load: racing environment creations (two tenants,
 * several users) while the controller's passes (assignment + reconcile) and
 * host heartbeats run, on a fleet with few slots. Afterwards, in SQL: no host
 * holds more replicas, cpu or memory than it has; no quota is used beyond its
 * maximum and every counter equals what exists; the audit chain verifies.
 * INVARIANT_ROUNDS=<n> for a longer run (CI runs the short mode).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "./services/audit-verify";
import { SimulatedFleet } from "./testing/simulated-fleet";
import { createWorld, type World } from "./testing/runtime-fixtures";
import { callerAs } from "./testing/callers";
import { createTestDatabase, type TestDatabase } from "./testing/db";

let t: TestDatabase;
const worlds: World[] = [];
const users: { email: string; tenant: number }[] = [];
let fleet: SimulatedFleet;
const rounds = Number(process.env.INVARIANT_ROUNDS ?? 1);

beforeAll(async () => {
  t = await createTestDatabase();
  for (const slug of ["inv-a", "inv-b"]) {
    const world = await createWorld(t.db, { zoneName: "inv", tenantSlug: slug, servers: [] });
    worlds.push(world);
    await t.db.quota.update({
      where: { tenantId: world.tenantId },
      data: { maxDevelopmentEnvs: 8, maxStagingEnvs: 4, maxProductionEnvs: 0, maxReplicas: 12, maxCpuMillis: 6000, maxMemoryMiB: 8192 },
    });
    for (const role of ["owner", "member"] as const) {
      const email = `${role}@${slug}.test`;
      const user = await t.db.user.create({ data: { email, name: role, passwordHash: "x" } });
      await t.db.membership.create({ data: { tenantId: world.tenantId, userId: user.id, role } });
      users.push({ email, tenant: worlds.length - 1 });
    }
  }
  fleet = new SimulatedFleet(t.db);
  await fleet.join(worlds[0]!.zoneId, ["inv-1", "inv-2", "inv-3", "inv-4"], ["az-1", "az-2", "az-3"]);
  // Few slots and little room: placements compete for the same hosts.
  await t.db.host.updateMany({ data: { maxReplicas: 3 } });
});
afterAll(() => t?.drop());

async function race(round: number) {
  const callers = await Promise.all(users.map(async (u) => ({ ...u, caller: await callerAs(t.db, u.email) })));
  const creations = Array.from({ length: 32 }, (_, i) => {
    const u = callers[i % callers.length]!;
    const staging = i % 3 === 0;
    return u.caller.environment.create({
      tenantId: worlds[u.tenant]!.tenantId,
      name: `r${round}-${i}`,
      stage: staging ? "staging" : "development",
      haLevel: staging ? 3 : 1,
      zoneId: worlds[u.tenant]!.zoneId,
    });
  });
  const controller = (async () => {
    for (let i = 0; i < 6; i++) {
      await Promise.all([fleet.pass(), fleet.heartbeat()]);
    }
  })();
  const results = await Promise.allSettled([...creations, controller]);
  const unexpected = results.flatMap((r) =>
    r.status === "rejected" && !/can raise the quota|conflict|already/i.test(String((r.reason as Error).message))
      ? [String((r.reason as Error).message)]
      : [],
  );
  expect(unexpected).toEqual([]);
  await fleet.converge(4);
}

describe("invariants after racing creations and placements", () => {
  it("no host over-committed, no quota exceeded or miscounted, the audit chain verifies", async () => {
    for (let round = 0; round < rounds; round++) await race(round);

    const overCommitted = await t.db.$queryRaw<{ name: string; replicas: number; cpu: number; memory: number }[]>`
      SELECT h.name, COUNT(r.id)::int AS replicas, SUM(s."cpuMillis")::int AS cpu, SUM(s."memoryMiB")::int AS memory
      FROM "Host" h JOIN "Replica" r ON r."hostId" = h.id JOIN "StateServer" s ON s.id = r."stateServerId"
      GROUP BY h.id
      HAVING COUNT(r.id) > h."maxReplicas" OR SUM(s."cpuMillis") > h."cpuMillis" OR SUM(s."memoryMiB") > h."memoryMiB"`;
    expect(overCommitted).toEqual([]);
    const placed = await t.db.replica.count({ where: { hostId: { not: null } } });
    expect(placed, "the race placed replicas").toBeGreaterThan(0);

    const duplicates = await t.db.$queryRaw<{ n: number }[]>`
      SELECT COUNT(*)::int AS n FROM (SELECT 1 FROM "Replica" WHERE "hostId" IS NOT NULL AND state <> 'stopping' GROUP BY "stateServerId", "hostId" HAVING COUNT(*) > 1) d`;
    expect(duplicates[0]!.n, "two live replicas of one server on one host").toBe(0);

    const overQuota = await t.db.$queryRaw<{ tenantId: string }[]>`
      SELECT "tenantId" FROM "Quota"
      WHERE "usedDevelopmentEnvs" > "maxDevelopmentEnvs" OR "usedStagingEnvs" > "maxStagingEnvs" OR "usedProductionEnvs" > "maxProductionEnvs"
         OR "usedReplicas" > "maxReplicas" OR "usedCpuMillis" > "maxCpuMillis" OR "usedMemoryMiB" > "maxMemoryMiB"`;
    expect(overQuota).toEqual([]);
    const miscounted = await t.db.$queryRaw<{ tenantId: string }[]>`
      SELECT q."tenantId" FROM "Quota" q
      WHERE q."usedDevelopmentEnvs" <> (SELECT COUNT(*) FROM "Environment" e WHERE e."tenantId" = q."tenantId" AND e.stage = 'development')
         OR q."usedStagingEnvs" <> (SELECT COUNT(*) FROM "Environment" e WHERE e."tenantId" = q."tenantId" AND e.stage = 'staging')`;
    expect(miscounted).toEqual([]);
    const created = await t.db.environment.count();
    expect(created, "some creations won and some lost to the quota").toBeGreaterThan(0);
    expect(created).toBeLessThan(32 * rounds);

    const chain = await verifyAuditChain(t.db);
    expect(chain).toMatchObject({ ok: true });
  });
});
