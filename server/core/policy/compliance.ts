import { placeReplicas } from "../placement";
import { ZONE_GRANT_RULE } from "./check";
import type { FleetSnapshot } from "./fleet-snapshot";
import { placementProblemOf } from "./placement-problem";
import type { PolicyRule } from "./rules";
import { type PolicyWorld, serverStages, serverTenants } from "./world";

export type ComplianceTarget =
  | { type: "environment"; id: string; name: string; tenantId: string }
  | { type: "replica"; id: string; stateServerId: string; ordinal: number; hostId: string; name: string };

export interface ComplianceViolation {
  rule: string;
  kind: PolicyRule["kind"] | "zone_grant" | "zone_isolation";
  target: ComplianceTarget;
  message: string;
  /** What to do about it, in words. */
  remediation: string;
  /** The action that fixes it: replicas are re-placed by the engine's plan; environments change HA or move. */
  fix: { action: "replace" } | { action: "set_ha"; haLevel: number } | { action: "move_dedicated" } | { action: "manual" };
}

/** The built-in rule of zones with isolation "dedicated" (set on the zone, not a policy rule). */
export const ZONE_ISOLATION_RULE = "zone-isolation";

/** Every environment and replica that breaks an enabled rule (or a zone's isolation) now. Deterministic order. */
export function findViolations(world: PolicyWorld, rules: readonly PolicyRule[]): ComplianceViolation[] {
  const out: ComplianceViolation[] = [];
  const zoneName = new Map(world.zones.map((z) => [z.id, z.name]));
  const dedicatedZones = new Set(world.zones.filter((z) => z.isolation === "dedicated").map((z) => z.id));
  const tenantName = new Map(world.tenants.map((t) => [t.id, t.name]));
  const granted = new Set(world.grants.map((g) => `${g.tenantId}/${g.zoneId}`));
  const servers = new Map(world.stateServers.map((s) => [s.id, s]));
  const hosts = new Map(world.hosts.map((h) => [h.id, h]));
  const tenantsOf = serverTenants(world);
  const stageOf = serverStages(world);
  const residents = new Map<string, PolicyWorld["environments"]>();
  for (const e of world.environments) if (e.stateServerId) residents.set(e.stateServerId, [...(residents.get(e.stateServerId) ?? []), e]);
  const envTarget = (e: PolicyWorld["environments"][number]): ComplianceTarget => ({
    type: "environment",
    id: e.id,
    name: e.name,
    tenantId: e.tenantId,
  });

  for (const e of world.environments) {
    if (e.zoneId && !granted.has(`${e.tenantId}/${e.zoneId}`)) {
      out.push({
        rule: ZONE_GRANT_RULE,
        kind: "zone_grant",
        target: envTarget(e),
        message: `${e.name} uses zone ${zoneName.get(e.zoneId) ?? e.zoneId}, which is not granted to ${tenantName.get(e.tenantId) ?? e.tenantId}`,
        remediation: "grant the zone to the tenant, or move the environment to a granted zone",
        fix: { action: "manual" },
      });
    }
    // A zone switched to "dedicated per tenant" after its environments were placed on shared servers.
    if (e.zoneId && dedicatedZones.has(e.zoneId) && e.stateServerId && servers.get(e.stateServerId)?.tenancy !== "dedicated") {
      out.push({
        rule: ZONE_ISOLATION_RULE,
        kind: "zone_isolation",
        target: envTarget(e),
        message: `${e.name} is in zone ${zoneName.get(e.zoneId) ?? e.zoneId}, dedicated per tenant, but its state server is shared`,
        remediation: "move the environment to a dedicated state server",
        fix: { action: "move_dedicated" },
      });
    }
    for (const r of rules) {
      if (r.kind === "min_ha" && r.params.stage === e.stage && e.haLevel < r.params.minReplicas) {
        out.push({
          rule: r.name,
          kind: r.kind,
          target: envTarget(e),
          message: `${e.name} runs ${e.haLevel} replica(s); ${e.stage} needs ${r.params.minReplicas}`,
          remediation: `raise the environment's HA level to ${r.params.minReplicas}`,
          fix: { action: "set_ha", haLevel: r.params.minReplicas },
        });
      }
      if (
        r.kind === "production_dedicated" &&
        e.stage === "production" &&
        e.stateServerId &&
        servers.get(e.stateServerId)?.tenancy !== "dedicated"
      ) {
        out.push({
          rule: r.name,
          kind: r.kind,
          target: envTarget(e),
          message: `${e.name} is production but its state server is shared`,
          remediation: "move the environment to a dedicated state server",
          fix: { action: "move_dedicated" },
        });
      }
      if (r.kind === "production_isolation" && e.stage === "production" && e.stateServerId) {
        const others = (residents.get(e.stateServerId) ?? []).filter((x) => x.tenantId !== e.tenantId && x.stage !== "production");
        if (others.length)
          out.push({
            rule: r.name,
            kind: r.kind,
            target: envTarget(e),
            message: `${e.name} is production but shares state server ${servers.get(e.stateServerId)?.name ?? e.stateServerId} with another tenant's ${others[0]!.stage} environment ${others[0]!.name}`,
            remediation: "move the environment to a dedicated state server, or move the other tenant's environments away",
            fix: { action: "move_dedicated" },
          });
      }
      if (r.kind === "zone_reserved" && e.zoneId === r.params.zoneId && !r.params.tenantIds.includes(e.tenantId)) {
        out.push({
          rule: r.name,
          kind: r.kind,
          target: envTarget(e),
          message: `${e.name} uses zone ${zoneName.get(e.zoneId) ?? e.zoneId}, reserved for other tenants`,
          remediation: "move the environment to another zone",
          fix: { action: "manual" },
        });
      }
    }
  }

  // Replica-level rules: group the placed replicas by host once.
  const byHost = new Map<string, PolicyWorld["replicas"]>();
  for (const rep of world.replicas) if (rep.hostId) byHost.set(rep.hostId, [...(byHost.get(rep.hostId) ?? []), rep]);
  const replicaTarget = (rep: PolicyWorld["replicas"][number]): ComplianceTarget => ({
    type: "replica",
    id: rep.id,
    stateServerId: rep.stateServerId,
    ordinal: rep.ordinal,
    hostId: rep.hostId!,
    name: `${servers.get(rep.stateServerId)?.name ?? rep.stateServerId}#${rep.ordinal} on ${hosts.get(rep.hostId!)?.name ?? rep.hostId}`,
  });
  const move = "re-place the replica (see the plan)";
  const REPLACE = { action: "replace" } as const;
  for (const [hostId, reps] of [...byHost].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const host = hosts.get(hostId);
    for (const r of rules) {
      if (r.kind === "stage_separation") {
        const hasProd = reps.some((x) => stageOf.get(x.stateServerId) === "production");
        if (hasProd)
          for (const x of reps) {
            const st = stageOf.get(x.stateServerId);
            if (st && st !== "production")
              out.push({
                rule: r.name,
                kind: r.kind,
                target: replicaTarget(x),
                message: `${st} replica shares host ${host?.name ?? hostId} with production`,
                remediation: move,
                fix: REPLACE,
              });
          }
      }
      if (r.kind === "never_share") {
        const [a, b] = r.params.tenantIds;
        const has = (t: string) => reps.some((x) => tenantsOf.get(x.stateServerId)?.has(t));
        if (has(a) && has(b))
          for (const x of reps) {
            if (tenantsOf.get(x.stateServerId)?.has(b))
              out.push({
                rule: r.name,
                kind: r.kind,
                target: replicaTarget(x),
                message: `${tenantName.get(b) ?? b} shares host ${host?.name ?? hostId} with ${tenantName.get(a) ?? a}`,
                remediation: move,
                fix: REPLACE,
              });
          }
      }
      if (r.kind === "zone_reserved" && host?.zoneId === r.params.zoneId) {
        for (const x of reps) {
          const foreign = [...(tenantsOf.get(x.stateServerId) ?? [])].some((t) => !r.params.tenantIds.includes(t));
          if (foreign)
            out.push({
              rule: r.name,
              kind: r.kind,
              target: replicaTarget(x),
              message: `replica of another tenant in reserved zone ${zoneName.get(host.zoneId) ?? host.zoneId}`,
              remediation: move,
              fix: REPLACE,
            });
        }
      }
      if (r.kind === "no_self_hosting" && host?.environmentId) {
        for (const x of reps) {
          const serves = world.environments.some((e) => e.stateServerId === x.stateServerId && e.id === host.environmentId);
          if (serves)
            out.push({
              rule: r.name,
              kind: r.kind,
              target: replicaTarget(x),
              message: `runs on a machine of an environment it serves`,
              remediation: move,
              fix: REPLACE,
            });
        }
      }
    }
  }
  return out;
}

export interface RemediationPlan {
  moves: { replicaId: string; stateServerId: string; ordinal: number; from: string; to: string }[];
  unplaced: { replicaId: string; stateServerId: string; ordinal: number; message: string }[];
}

/** The engine's re-place plan for the violating replicas: everything else stays where it is. */
export function planRemediation(snapshot: FleetSnapshot, violations: readonly ComplianceViolation[]): RemediationPlan {
  const ids = new Set(violations.flatMap((v) => (v.target.type === "replica" ? [v.target.id] : [])));
  if (ids.size === 0) return { moves: [], unplaced: [] };
  const result = placeReplicas(placementProblemOf(snapshot, { exclude: ids }));
  const key = (s: string, o: number) => `${s}#${o}`;
  const placed = new Map(result.placements.map((p) => [key(p.stateServer, p.ordinal), p.host]));
  const why = new Map(result.unplaced.map((u) => [key(u.stateServer, u.ordinal), u.message]));
  const plan: RemediationPlan = { moves: [], unplaced: [] };
  for (const r of snapshot.replicas) {
    if (!ids.has(r.id)) continue;
    const to = placed.get(key(r.stateServerId, r.ordinal));
    if (to && to !== r.hostId)
      plan.moves.push({ replicaId: r.id, stateServerId: r.stateServerId, ordinal: r.ordinal, from: r.hostId!, to });
    else
      plan.unplaced.push({
        replicaId: r.id,
        stateServerId: r.stateServerId,
        ordinal: r.ordinal,
        message: why.get(key(r.stateServerId, r.ordinal)) ?? "no compliant host found",
      });
  }
  return plan;
}
