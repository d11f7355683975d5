import { PlacementEngine, type PlacementProblem } from "../../server/core/placement";
import { activeRules, type PolicyRule, type PolicyWorld, serverStages, serverTenants, toPlacementRules } from "../../server/core/policy";
import type { Db } from "../../server/db/client";

/**
 * The drain preview as it was before the fleet snapshot and the incremental
 * drain (commit 0e99aab: services/policy-world.ts, core/policy toPlacementProblem,
 * services/host-drain.ts planHostDrain, core/placement planDrain), kept only as
 * the same-run baseline of bench/drain-preview.bench.ts. It runs on today's
 * engine, so it is, if anything, a little faster than the original.
 */
export async function drainPreviewBefore(db: Db, hostId: string) {
  const [world, rules] = await Promise.all([loadPolicyWorld(db), db.policyRule.findMany({ orderBy: { name: "asc" } }).then(activeRules)]);
  const stateOf = new Map(world.hosts.map((h) => [h.id, h.state]));
  const leaving = (id: string | null) => !id || stateOf.get(id) === "draining" || stateOf.get(id) === "down";
  const slotKey = (stateServer: string, ordinal: number) => `${stateServer}#${ordinal}`;
  const live = new Set(world.replicas.filter((r) => !leaving(r.hostId)).map((r) => slotKey(r.stateServerId, r.ordinal)));
  const superseded = new Set(
    world.replicas.filter((r) => r.hostId && leaving(r.hostId) && live.has(slotKey(r.stateServerId, r.ordinal))).map((r) => r.id),
  );
  const problem = toPlacementProblem(world, rules, superseded);
  // planDrain before: place everything pending on the whole fleet, then drain, reading the full result twice.
  const engine = new PlacementEngine(problem);
  engine.placePending();
  const before = engine.result();
  const onHosts = new Set(before.placements.filter((p) => p.host === hostId).map((p) => slotKey(p.stateServer, p.ordinal)));
  engine.setHostStates([{ host: hostId, state: "draining" }]);
  const after = engine.result();
  const moves = after.moved.filter((m) => m.from === hostId && onHosts.has(slotKey(m.stateServer, m.ordinal)));
  const blocked = after.unplaced.filter((u) => onHosts.has(slotKey(u.stateServer, u.ordinal)));
  const hostName = new Map(world.hosts.map((h) => [h.id, h.name]));
  return { moves: moves.map((m) => ({ ...m, toName: hostName.get(m.to) })), blocked };
}

/** The whole fleet as the policy core sees it (one snapshot; call inside a transaction to be consistent). */
async function loadPolicyWorld(db: Db): Promise<PolicyWorld> {
  const [tenants, zones, grants, environments, stateServers, replicas, hosts] = await Promise.all([
    db.tenant.findMany({ select: { id: true, name: true } }),
    db.securityZone.findMany({ select: { id: true, name: true, isolation: true } }),
    db.zoneGrant.findMany({ select: { tenantId: true, zoneId: true } }),
    db.environment.findMany({
      where: { status: { not: "removing" } },
      select: { id: true, name: true, tenantId: true, stage: true, haLevel: true, zoneId: true, stateServerId: true },
      orderBy: { id: "asc" },
    }),
    db.stateServer.findMany({
      select: {
        id: true,
        name: true,
        tenantId: true,
        tenancy: true,
        stage: true,
        zoneId: true,
        replicas: true,
        cpuMillis: true,
        memoryMiB: true,
        spread: true,
      },
      orderBy: { id: "asc" },
    }),
    db.replica.findMany({
      where: { state: { not: "stopping" } },
      select: { id: true, stateServerId: true, ordinal: true, hostId: true },
      orderBy: [{ stateServerId: "asc" }, { ordinal: "asc" }],
    }),
    db.host.findMany({
      select: {
        id: true,
        name: true,
        zoneId: true,
        failureDomain: true,
        cpuMillis: true,
        memoryMiB: true,
        maxReplicas: true,
        state: true,
        dedicatedTenantId: true,
        environmentId: true,
      },
      orderBy: { id: "asc" },
    }),
  ]);
  return { tenants, zones, grants, environments, stateServers, replicas, hosts };
}

/** The fleet as a placement problem under the rules (existing placements kept unless excluded). */
function toPlacementProblem(world: PolicyWorld, rules: readonly PolicyRule[], exclude: ReadonlySet<string> = new Set()): PlacementProblem {
  const tenantsOf = serverTenants(world);
  const stageOf = serverStages(world);
  const envsOf = new Map<string, string[]>();
  for (const e of world.environments) if (e.stateServerId) envsOf.set(e.stateServerId, [...(envsOf.get(e.stateServerId) ?? []), e.id]);
  const grantsOf = new Map<string, string[]>();
  for (const g of world.grants) grantsOf.set(g.tenantId, [...(grantsOf.get(g.tenantId) ?? []), g.zoneId]);
  return {
    strategy: "spread",
    hosts: world.hosts.map((h) => ({
      id: h.id,
      zone: h.zoneId,
      failureDomain: h.failureDomain,
      cpuMillis: h.cpuMillis,
      memoryMiB: h.memoryMiB,
      maxReplicas: h.maxReplicas,
      state: h.state,
      ...(h.dedicatedTenantId ? { dedicatedTenant: h.dedicatedTenantId } : {}),
      ...(h.environmentId ? { environment: h.environmentId } : {}),
    })),
    stateServers: world.stateServers.map((s) => {
      const stage = stageOf.get(s.id);
      return {
        id: s.id,
        tenant: s.tenantId ?? [...(tenantsOf.get(s.id) ?? [])].sort()[0] ?? `shared:${s.id}`,
        replicas: s.replicas,
        cpuMillis: s.cpuMillis,
        memoryMiB: s.memoryMiB,
        zones: [s.zoneId],
        isolation: s.tenancy,
        spread: s.spread,
        environments: envsOf.get(s.id) ?? [],
        ...(stage ? { stage } : {}),
      };
    }),
    existing: world.replicas
      .filter((r) => r.hostId && !exclude.has(r.id))
      .map((r) => ({ stateServer: r.stateServerId, ordinal: r.ordinal, host: r.hostId! })),
    rules: toPlacementRules(rules),
  };
}
