import type { HostState, Stage } from "../model";

/** Everything compliance needs to know about the fleet, loaded by the caller. */
export interface PolicyWorld {
  tenants: { id: string; name: string }[];
  /** `dedicated`: every tenant's environments in the zone run on state servers of their own. */
  zones: { id: string; name: string; isolation?: "shared" | "dedicated" }[];
  grants: { tenantId: string; zoneId: string }[];
  environments: {
    id: string;
    name: string;
    tenantId: string;
    stage: Stage;
    haLevel: number;
    zoneId: string | null;
    stateServerId: string | null;
  }[];
  stateServers: {
    id: string;
    name: string;
    tenantId: string | null;
    tenancy: "shared" | "dedicated";
    stage: Stage | null;
    zoneId: string;
    replicas: number;
    cpuMillis: number;
    memoryMiB: number;
    spread: "required" | "preferred";
  }[];
  replicas: { id: string; stateServerId: string; ordinal: number; hostId: string | null }[];
  hosts: {
    id: string;
    name: string;
    zoneId: string;
    failureDomain: string;
    cpuMillis: number;
    memoryMiB: number;
    maxReplicas: number;
    state: HostState;
    dedicatedTenantId: string | null;
    environmentId: string | null;
  }[];
}

/** Tenants whose data a state server holds: its owner, or the tenants of the environments it serves. */
export function serverTenants(world: PolicyWorld): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const s of world.stateServers) out.set(s.id, new Set(s.tenantId ? [s.tenantId] : []));
  for (const e of world.environments) if (e.stateServerId) out.get(e.stateServerId)?.add(e.tenantId);
  return out;
}

/** The stage a server serves: its own, else production if any environment is production, else the first. */
export function serverStages(world: PolicyWorld): Map<string, Stage | null> {
  const out = new Map<string, Stage | null>(world.stateServers.map((s) => [s.id, s.stage]));
  for (const e of world.environments) {
    if (!e.stateServerId || !out.has(e.stateServerId)) continue;
    const cur = out.get(e.stateServerId);
    if (cur == null || e.stage === "production") out.set(e.stateServerId, e.stage);
  }
  return out;
}
