import { z } from "zod";
import type { Placement, PlacementProblem, PlacementRule } from "../../core/placement";
import type { Db } from "../../db/client";

/** The placement engine's view of the database, plus the names the UI shows instead of ids. */
export interface LoadedProblem {
  problem: PlacementProblem;
  /** Current replica placements (replicas with a host). */
  placements: Placement[];
  hostName: Map<string, string>;
  hostDomain: Map<string, string>;
  serverName: Map<string, string>;
  serverByName: Map<string, string>;
  /** Policy rule names by engine reason code they explain. */
  ruleNames: Map<string, string[]>;
}

const ZNeverShare = z.object({ tenants: z.tuple([z.string(), z.string()]) });
const ZZoneReserved = z.object({ zone: z.string(), tenants: z.array(z.string()) });

/** Which policy kind stands behind which engine reason code (for "the rule names"). */
const REASON_POLICY: Record<string, string> = {
  "never-share": "never_share",
  "stage-separation": "stage_separation",
  "zone-reserved": "zone_reserved",
  "serves-environment": "no_self_hosting",
  "hosting-cycle": "no_self_hosting",
  "dedicated-isolation": "production_dedicated",
};

export async function loadProblem(db: Db): Promise<LoadedProblem> {
  const [hosts, servers, envs, replicas, rules] = await Promise.all([
    db.host.findMany({
      select: { id: true, name: true, zoneId: true, failureDomain: true, cpuMillis: true, memoryMiB: true, maxReplicas: true, state: true, dedicatedTenantId: true, environmentId: true },
      orderBy: { name: "asc" },
    }),
    db.$queryRaw<{ id: string; name: string; tenantId: string | null; tenancy: string; stage: string | null; replicas: number; cpu: number; mem: number; zoneId: string; spread: string; only: string | null }[]>`
      SELECT s.id, s.name, s."tenantId", s.tenancy::text AS tenancy, s.stage::text AS stage, s.replicas, s."cpuMillis" AS cpu,
        s."memoryMiB" AS mem, s."zoneId", s.spread::text AS spread, t.only
      FROM "StateServer" s
      LEFT JOIN (SELECT "stateServerId", CASE WHEN count(DISTINCT "tenantId") = 1 THEN min("tenantId") END AS only
                 FROM "Environment" WHERE "stateServerId" IS NOT NULL GROUP BY 1) t ON t."stateServerId" = s.id
      ORDER BY s.name`,
    db.environment.findMany({ where: { stateServerId: { not: null } }, select: { id: true, stateServerId: true } }),
    db.replica.findMany({ select: { stateServerId: true, ordinal: true, hostId: true } }),
    db.policyRule.findMany({ where: { enabled: true }, select: { kind: true, name: true, params: true } }),
  ]);
  const envsOf = new Map<string, string[]>();
  for (const e of envs) envsOf.set(e.stateServerId!, [...(envsOf.get(e.stateServerId!) ?? []), e.id]);
  const hostEnv = new Map(hosts.map((h) => [h.id, h.environmentId]));
  const placements: Placement[] = [];
  const hostedBy = new Map<string, { environment: string; hostEnvironment: string }>();
  for (const r of replicas) {
    if (!r.hostId) continue;
    placements.push({ stateServer: r.stateServerId, ordinal: r.ordinal, host: r.hostId });
    const hostEnvironment = hostEnv.get(r.hostId);
    if (!hostEnvironment) continue;
    for (const environment of envsOf.get(r.stateServerId) ?? []) {
      hostedBy.set(`${environment}>${hostEnvironment}`, { environment, hostEnvironment });
    }
  }
  const engineRules: PlacementRule[] = [];
  const ruleNames = new Map<string, string[]>();
  for (const rule of rules) {
    for (const [code, kind] of Object.entries(REASON_POLICY)) {
      if (kind === rule.kind) ruleNames.set(code, [...(ruleNames.get(code) ?? []), rule.name]);
    }
    if (rule.kind === "stage_separation") engineRules.push({ kind: "stageSeparation" });
    if (rule.kind === "never_share") {
      const p = ZNeverShare.safeParse(rule.params);
      if (p.success) engineRules.push({ kind: "neverShare", tenants: p.data.tenants });
    }
    if (rule.kind === "zone_reserved") {
      const p = ZZoneReserved.safeParse(rule.params);
      if (p.success) engineRules.push({ kind: "zoneReserved", zone: p.data.zone, tenants: p.data.tenants });
    }
  }
  const problem: PlacementProblem = {
    strategy: "spread",
    hosts: hosts.map((h) => ({
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
    stateServers: servers.map((s) => ({
      id: s.id,
      // Shared servers serving several tenants belong to no tenant: they count as a tenant of their own.
      tenant: s.tenantId ?? s.only ?? "shared",
      replicas: s.replicas,
      cpuMillis: s.cpu,
      memoryMiB: s.mem,
      zones: [s.zoneId],
      isolation: s.tenancy === "dedicated" ? "dedicated" : "shared",
      spread: s.spread === "preferred" ? "preferred" : "required",
      environments: envsOf.get(s.id) ?? [],
      ...(s.stage ? { stage: s.stage as "production" | "staging" | "development" } : {}),
    })),
    existing: placements,
    hostedBy: [...hostedBy.values()],
    rules: engineRules,
  };
  return {
    problem,
    placements,
    hostName: new Map(hosts.map((h) => [h.id, h.name])),
    hostDomain: new Map(hosts.map((h) => [h.id, h.failureDomain])),
    serverName: new Map(servers.map((s) => [s.id, s.name])),
    serverByName: new Map(servers.map((s) => [s.name, s.id])),
    ruleNames,
  };
}

const cache = new WeakMap<Db, { version: string; loaded: Promise<LoadedProblem> }>();

/**
 * The problem is rebuilt only when the placement version changes: explanations,
 * risk and what-if questions in a support session reuse one load. Keyed by
 * database client and version, so several app instances (and test databases)
 * stay correct without coordination.
 */
export function loadProblemCached(db: Db, version: string): Promise<LoadedProblem> {
  const hit = cache.get(db);
  if (hit?.version === version) return hit.loaded;
  const loaded = loadProblem(db);
  cache.set(db, { version, loaded });
  loaded.catch(() => {
    if (cache.get(db)?.loaded === loaded) cache.delete(db);
  });
  return loaded;
}
