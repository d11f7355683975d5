import type { Interner } from "./interner";
import type { PlacementStateServer } from "./types";

export const STAGE_NONE = 0;
export const STAGE_PRODUCTION = 1;
export const STAGE_STAGING = 2;

/** The state servers as flat arrays indexed by server (ClusterState's server fields). */
export interface ServerTable {
  tenant: Int32Array;
  replicas: Int32Array;
  /** Demands as given (narrowed to int32 by the caller when every amount of the problem allows). */
  cpu: Float64Array;
  mem: Float64Array;
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
  /** Every demand is a whole number in int32 range, not negative, and all replicas' demand together fits int32 (narrowAmounts' rule, server half). */
  wholeAmounts: boolean;
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
  tenants: Interner,
  zones: Interner,
  envs: Interner | null,
): ServerTable {
  const m = servers.length;
  const tenant = new Int32Array(m);
  const replicas = new Int32Array(m);
  const cpu = new Float64Array(m);
  const mem = new Float64Array(m);
  const dedicated = new Uint8Array(m);
  const spreadRequired = new Uint8Array(m);
  const stage = new Uint8Array(m);
  const replicaOffset = new Int32Array(m + 1);
  const zoneStart = new Int32Array(m + 1);
  const envStart = new Int32Array(m + 1);
  // Most servers name one zone: room for one each, grown when they name more.
  let zoneList: Int32Array = new Int32Array(m);
  let nZones = 0;
  const envList: number[] = [];
  let minCpu = Infinity;
  let minMem = Infinity;
  let wholeAmounts = true;
  let cpuTotal = 0;
  let memTotal = 0;
  // A server's zone is often the one before it: asked of the map only when not. Known ids are asked of the maps
  // directly (the interners only for new ones): a call per server costs more here, before anything is compiled.
  let lastZone: string | undefined;
  let lastZoneIndex = -1;
  const zoneIndex = zones.index;
  const tenantIndex = tenants.index;
  for (let i = 0; i < m; i++) {
    const s = servers[i]!;
    const tenantId = s.tenant;
    tenant[i] = tenantIndex.get(tenantId) ?? tenants.get(tenantId);
    const n = s.replicas;
    const c = s.cpuMillis;
    const mm = s.memoryMiB;
    replicas[i] = n;
    cpu[i] = c;
    mem[i] = mm;
    if (c < minCpu) minCpu = c;
    if (mm < minMem) minMem = mm;
    if ((c | 0) !== c || (mm | 0) !== mm || c < 0 || mm < 0) wholeAmounts = false;
    cpuTotal += n * c;
    memTotal += n * mm;
    dedicated[i] = s.isolation === "dedicated" ? 1 : 0;
    spreadRequired[i] = s.spread === "required" ? 1 : 0;
    // Stage separation keeps production apart from every other stage: STAGE_STAGING means "non-production".
    const stageName = s.stage;
    stage[i] = stageName === "production" ? STAGE_PRODUCTION : stageName ? STAGE_STAGING : STAGE_NONE;
    replicaOffset[i + 1] = replicaOffset[i]! + n;
    const serverZones = s.zones;
    const nServerZones = serverZones.length;
    if (nZones + nServerZones > zoneList.length) zoneList = grown(zoneList, nZones + nServerZones);
    for (let k = 0; k < nServerZones; k++) {
      const zoneId = serverZones[k]!;
      if (zoneId !== lastZone) {
        lastZone = zoneId;
        lastZoneIndex = zoneIndex.get(zoneId) ?? zones.get(zoneId);
      }
      zoneList[nZones++] = lastZoneIndex;
    }
    zoneStart[i + 1] = nZones;
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
    zoneList: zoneList.slice(0, nZones),
    envStart,
    envList: Int32Array.from(envList),
    minCpu: minCpu === Infinity ? 0 : minCpu,
    minMem: minMem === Infinity ? 0 : minMem,
    wholeAmounts: wholeAmounts && cpuTotal <= 2 ** 31 - 1 && memTotal <= 2 ** 31 - 1,
  };
}

/** A copy of `list` with room for at least `needed` entries (twice as many). */
function grown(list: Int32Array, needed: number): Int32Array {
  const bigger = new Int32Array(Math.max(needed, 2 * list.length));
  bigger.set(list);
  return bigger;
}
