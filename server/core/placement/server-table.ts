import type { Amounts } from "./amounts";
import type { Interner } from "./interner";
import type { PlacementStateServer } from "./types";

export const STAGE_NONE = 0;
export const STAGE_PRODUCTION = 1;
export const STAGE_STAGING = 2;

/** The state servers as flat arrays indexed by server (ClusterState's server fields). */
export interface ServerTable {
  tenant: Int32Array;
  replicas: Int32Array;
  cpu: Amounts;
  mem: Amounts;
  dedicated: Uint8Array;
  spreadRequired: Uint8Array;
  stage: Uint8Array;
  /** Replicas of server s: replicaOffset[s] .. replicaOffset[s + 1]. */
  replicaOffset: Int32Array;
  /** Allowed zones of server s: zoneList[zoneStart[s] .. zoneStart[s + 1]) (flat, no per-server arrays). */
  zoneStart: Int32Array;
  zoneList: Int32Array;
  /** Environments served by s: envList[envStart[s] .. envStart[s + 1]); empty without envs. */
  envStart: Int32Array;
  envList: Int32Array;
  minCpu: number;
  minMem: number;
}

/**
 * One plain pass over the servers (no per-server closures, arrays in
 * locals): it runs before anything is compiled, where every property read
 * is a lookup. Tenants, zones and environments are interned in first-seen
 * order; envs null when no host is a machine of an environment (served
 * environments then matter to nothing).
 */
export function compileServers(
  servers: readonly PlacementStateServer[],
  AmountArray: new (length: number) => Amounts,
  tenants: Interner,
  zones: Interner,
  envs: Interner | null,
): ServerTable {
  const m = servers.length;
  const tenant = new Int32Array(m);
  const replicas = new Int32Array(m);
  const cpu = new AmountArray(m);
  const mem = new AmountArray(m);
  const dedicated = new Uint8Array(m);
  const spreadRequired = new Uint8Array(m);
  const stage = new Uint8Array(m);
  const replicaOffset = new Int32Array(m + 1);
  const zoneStart = new Int32Array(m + 1);
  const envStart = new Int32Array(m + 1);
  const zoneList: number[] = [];
  const envList: number[] = [];
  let minCpu = Infinity;
  let minMem = Infinity;
  // A server's zone is usually the one before it: asked of the map only when not.
  let lastZone: string | undefined;
  let lastZoneIndex = -1;
  for (let i = 0; i < m; i++) {
    const s = servers[i]!;
    tenant[i] = tenants.get(s.tenant);
    replicas[i] = s.replicas;
    cpu[i] = s.cpuMillis;
    mem[i] = s.memoryMiB;
    if (s.cpuMillis < minCpu) minCpu = s.cpuMillis;
    if (s.memoryMiB < minMem) minMem = s.memoryMiB;
    dedicated[i] = s.isolation === "dedicated" ? 1 : 0;
    spreadRequired[i] = s.spread === "required" ? 1 : 0;
    // Stage separation keeps production apart from every other stage: STAGE_STAGING means "non-production".
    stage[i] = s.stage === "production" ? STAGE_PRODUCTION : s.stage ? STAGE_STAGING : STAGE_NONE;
    replicaOffset[i + 1] = replicaOffset[i]! + s.replicas;
    for (let k = 0; k < s.zones.length; k++) {
      if (s.zones[k] !== lastZone) lastZoneIndex = zones.get((lastZone = s.zones[k]!));
      zoneList.push(lastZoneIndex);
    }
    zoneStart[i + 1] = zoneList.length;
    if (envs) for (let k = 0; k < s.environments.length; k++) envList.push(envs.get(s.environments[k]!));
    envStart[i + 1] = envList.length;
  }
  return {
    tenant,
    replicas,
    cpu,
    mem,
    dedicated,
    spreadRequired,
    stage,
    replicaOffset,
    zoneStart,
    zoneList: Int32Array.from(zoneList),
    envStart,
    envList: Int32Array.from(envList),
    minCpu: minCpu === Infinity ? 0 : minCpu,
    minMem: minMem === Infinity ? 0 : minMem,
  };
}
