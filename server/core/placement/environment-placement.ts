import { type HaLevel, type Isolation, majorityOf, type Stage } from "../model";
import type { PlacementStateServer } from "./types";

/** Level 1: environment -> state server. */
export interface EnvironmentRequest {
  id: string;
  tenant: string;
  stage: Stage;
  /** Zones the environment asks for; defaults to every zone the tenant is granted. */
  zones?: string[];
  cpuMillis?: number;
  memoryMiB?: number;
}

export interface StateServerCandidate {
  id: string;
  tenant: string;
  zone: string;
  isolation: Isolation;
  /** The stage the server is meant for; absent = any. */
  stage?: Stage;
  replicas: number;
  runningReplicas: number;
  draining: boolean;
  environments: number;
  maxEnvironments: number;
  cpuMillis: number;
  memoryMiB: number;
  usedCpuMillis: number;
  usedMemoryMiB: number;
  /** The environments the server holds now (removing ones included: their data is still there). */
  residents?: readonly { tenant: string; stage: Stage }[];
}

export interface EnvironmentPolicy {
  zoneGrants: Record<string, string[]>;
  minReplicas: Record<Stage, HaLevel>;
  dedicatedForProduction: boolean;
  /** Zones whose isolation is "dedicated per tenant": every server there is dedicated to one tenant. */
  dedicatedZones?: readonly string[];
  serverSize: Record<Stage, { cpuMillis: number; memoryMiB: number; maxEnvironments: number }>;
  /**
   * Production never shares a state server with another tenant's development
   * or staging (either way round). On unless an admin relaxed the rule (false).
   */
  productionIsolation?: boolean;
}

export const ENV_REASON_CODES = [
  "server-draining",
  "server-unhealthy",
  "zone-not-granted",
  "tenancy-mismatch",
  "dedicated-required",
  "ha-too-low",
  "stage-mismatch",
  "other-tenant-nonproduction",
  "other-tenant-production",
  "environments-full",
  "insufficient-cpu",
  "insufficient-memory",
] as const;
export type EnvironmentReasonCode = (typeof ENV_REASON_CODES)[number];

export interface RejectedServer {
  stateServer: string;
  reasons: EnvironmentReasonCode[];
  message: string;
}

export interface ServerScore {
  stateServer: string;
  score: number;
  health: number;
  room: number;
}

export type EnvironmentPlacement =
  | { decision: "existing"; stateServer: string; ranking: ServerScore[]; rejected: RejectedServer[]; message: string }
  | {
      decision: "new";
      /** The state server to create (feed it to placeReplicas). */
      stateServer: Omit<PlacementStateServer, "id"> & { stage: Stage };
      ranking: ServerScore[];
      rejected: RejectedServer[];
      message: string;
    };

const LABELS: Record<EnvironmentReasonCode, string> = {
  "server-draining": "being drained",
  "server-unhealthy": "below quorum",
  "zone-not-granted": "zone not granted to the tenant",
  "tenancy-mismatch": "dedicated to another tenant",
  "dedicated-required": "a dedicated server is required (production policy or a dedicated zone)",
  "ha-too-low": "too few replicas for the stage",
  "stage-mismatch": "meant for another stage",
  "other-tenant-nonproduction": "holds another tenant's development or staging (production is kept apart)",
  "other-tenant-production": "holds another tenant's production (kept apart from development and staging)",
  "environments-full": "no environment slot left",
  "insufficient-cpu": "insufficient cpu",
  "insufficient-memory": "insufficient memory",
};

/**
 * The production-isolation rule for one server: a production environment may
 * not join another tenant's development or staging, nor development or staging
 * another tenant's production. Same-tenant mixes and prod-with-prod are fine.
 */
export function crossTenantStageClash(
  env: { tenant: string; stage: Stage },
  residents: readonly { tenant: string; stage: Stage }[],
): EnvironmentReasonCode | null {
  const production = env.stage === "production";
  for (const r of residents) {
    if (r.tenant === env.tenant) continue;
    if (production && r.stage !== "production") return "other-tenant-nonproduction";
    if (!production && r.stage === "production") return "other-tenant-production";
  }
  return null;
}

/**
 * Chooses an existing state server with room for a new environment, or
 * decides a new one must be created. Every rejected server lists all the
 * reasons it failed; the ranking is health first, then free room, then id.
 */
export function placeEnvironment(
  env: EnvironmentRequest,
  servers: readonly StateServerCandidate[],
  policy: EnvironmentPolicy,
): EnvironmentPlacement {
  const granted = new Set(policy.zoneGrants[env.tenant] ?? []);
  const wanted = env.zones ? env.zones.filter((z) => granted.has(z)) : [...granted].sort();
  const minReplicas = policy.minReplicas[env.stage];
  const dedicatedZones = new Set(policy.dedicatedZones ?? []);
  const productionNeedsDedicated = env.stage === "production" && policy.dedicatedForProduction;
  const isolateProduction = policy.productionIsolation !== false;
  const cpu = env.cpuMillis ?? 0;
  const mem = env.memoryMiB ?? 0;
  const rejected: RejectedServer[] = [];
  const ranking: ServerScore[] = [];
  for (const s of [...servers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const reasons: EnvironmentReasonCode[] = [];
    if (s.draining) reasons.push("server-draining");
    if (s.runningReplicas < majorityOf(s.replicas)) reasons.push("server-unhealthy");
    if (!wanted.includes(s.zone)) reasons.push("zone-not-granted");
    if (s.isolation === "dedicated" && s.tenant !== env.tenant) reasons.push("tenancy-mismatch");
    if ((productionNeedsDedicated || dedicatedZones.has(s.zone)) && s.isolation !== "dedicated") reasons.push("dedicated-required");
    if (s.replicas < minReplicas) reasons.push("ha-too-low");
    if (s.stage !== undefined && s.stage !== env.stage) reasons.push("stage-mismatch");
    if (isolateProduction) {
      const clash = crossTenantStageClash(env, s.residents ?? []);
      if (clash) reasons.push(clash);
    }
    if (s.environments >= s.maxEnvironments) reasons.push("environments-full");
    if (s.usedCpuMillis + cpu > s.cpuMillis) reasons.push("insufficient-cpu");
    if (s.usedMemoryMiB + mem > s.memoryMiB) reasons.push("insufficient-memory");
    if (reasons.length) {
      rejected.push({ stateServer: s.id, reasons, message: `${s.id}: ${reasons.map((r) => LABELS[r]).join(", ")}` });
      continue;
    }
    const health = s.runningReplicas / s.replicas;
    const free = (used: number, cap: number) => (cap > 0 ? 1 - used / cap : 1);
    const room = Math.min(
      free(s.environments + 1, s.maxEnvironments),
      free(s.usedCpuMillis + cpu, s.cpuMillis),
      free(s.usedMemoryMiB + mem, s.memoryMiB),
    );
    ranking.push({ stateServer: s.id, health, room, score: Math.round((60 * health + 40 * room) * 100) / 100 });
  }
  ranking.sort((a, b) => b.score - a.score || (a.stateServer < b.stateServer ? -1 : 1));
  const best = ranking[0];
  if (best) {
    const msg = `joins ${best.stateServer} (score ${best.score}); ${rejected.length} of ${servers.length} servers rejected`;
    return { decision: "existing", stateServer: best.stateServer, ranking, rejected, message: msg };
  }
  const size = policy.serverSize[env.stage];
  const needDedicated = productionNeedsDedicated || (wanted[0] !== undefined && dedicatedZones.has(wanted[0]));
  const spec = {
    tenant: env.tenant,
    replicas: minReplicas,
    cpuMillis: size.cpuMillis,
    memoryMiB: size.memoryMiB,
    zones: wanted.slice(0, 1),
    isolation: (needDedicated ? "dedicated" : "shared") as Isolation,
    spread: (minReplicas > 1 ? "required" : "preferred") as PlacementStateServer["spread"],
    environments: [env.id],
    stage: env.stage,
  };
  const why = servers.length ? `no existing server fits (${rejected.length} rejected)` : "no state servers yet";
  const message =
    wanted.length === 0
      ? `cannot place: tenant ${env.tenant} is granted none of the requested zones`
      : `new ${spec.isolation} state server with ${spec.replicas} replica(s) in ${spec.zones[0]}: ${why}`;
  return { decision: "new", stateServer: spec, ranking, rejected, message };
}
