import type { ServerContext } from "./server-context";
import { type ClusterState, STAGE_PRODUCTION, STAGE_STAGING } from "./state";

/**
 * Assigns, in one pass over the replicas, every listed replica (hostOf[rep]
 * >= 0) whose host's state keeps replicas (keepsInState, per HS_* state) and
 * whose host group passes the group filters for its server (ctx's remembered
 * group verdicts, asked when there is none); each other listed replica gets
 * its host in leftHost. Returns the servers two of whose kept replicas share
 * a failure domain (what ServerContext.crowdedKept holds).
 *
 * Works on a state where no replica is assigned and no host is a machine of
 * an environment: the counters ClusterState.assign keeps, for all kept
 * replicas at once, in flat loops instead of a call and a hash probe per
 * replica. The (host, tenant) table starts from the per-host lists of their
 * replicas' tenants (HostTenantCounts.startFrom).
 */
export function assignAccepted(
  st: ClusterState,
  ctx: ServerContext,
  hostOf: Int32Array,
  keepsInState: Int8Array,
  leftHost: Int32Array,
): number[] {
  if (st.anyHostedHost) throw new Error("assignAccepted: hosts of environments need assign (hosting edges)");
  const { replicaOffset, replicaHost, serverCpu, serverMem, serverDedicated, serverStage, serverTenant, hostState, hostDomain, nServers } =
    st;
  const { freeCpu, freeMem, hostReplicas, dedicatedCount, productionCount, stagingCount } = st;
  const { zoneStart, zoneList, groupProfile } = st;
  const ofHost = st.groups.ofHost;
  const nGroups = st.groups.list.length;
  const profilesPerZone = st.nTenants + 1;
  const verdicts = ctx.groupVerdicts;
  // Each host's replicas as a list threaded through the replicas (first on the host, next after each), with their tenants.
  const firstOnHost = new Int32Array(st.nHosts).fill(-1);
  const nextOnHost = new Int32Array(replicaHost.length);
  const tenantOf = new Int32Array(replicaHost.length);
  // Servers two of whose kept replicas share a failure domain (domains stamped with the server last kept there).
  const crowded: number[] = [];
  const domainSeenBy = new Int32Array(st.domains.ids.length).fill(-1);
  for (let s = 0; s < nServers; s++) {
    let twoInOneDomain = false;
    // ctx.groupVerdictBase(s) (zoneProfile times the groups), inline: a call per server costs more here, before anything is compiled.
    const zones = zoneStart[s]!;
    const base =
      zoneStart[s + 1]! - zones !== 1 || verdicts.length === 0
        ? -1
        : (zoneList[zones]! * profilesPerZone + groupProfile[serverTenant[s]!]!) * nGroups;
    const cpu = serverCpu[s]!;
    const mem = serverMem[s]!;
    const dedicated = serverDedicated[s] === 1;
    const stage = serverStage[s]!;
    const tenant = serverTenant[s]!;
    for (let rep = replicaOffset[s]!; rep < replicaOffset[s + 1]!; rep++) {
      const h = hostOf[rep]!;
      if (h < 0) continue;
      const g = ofHost[h]!;
      // The remembered group verdict (1 accepted, 2 refused), asked when there is none.
      const verdict = base >= 0 ? verdicts[base + g]! : 0;
      if (keepsInState[hostState[h]!] !== 1 || !(verdict === 1 || (verdict === 0 && ctx.groupAcceptsServer(s, g)))) {
        leftHost[rep] = h;
        continue;
      }
      replicaHost[rep] = h;
      freeCpu[h] = freeCpu[h]! - cpu;
      freeMem[h] = freeMem[h]! - mem;
      hostReplicas[h]!++;
      if (dedicated) dedicatedCount[h]!++;
      if (stage === STAGE_PRODUCTION) productionCount[h]!++;
      else if (stage === STAGE_STAGING) stagingCount[h]!++;
      nextOnHost[rep] = firstOnHost[h]!;
      firstOnHost[h] = rep;
      tenantOf[rep] = tenant;
      const d = hostDomain[h]!;
      if (domainSeenBy[d] === s) twoInOneDomain = true;
      domainSeenBy[d] = s;
    }
    if (twoInOneDomain) crowded.push(s);
  }
  countPerHost(st, firstOnHost, nextOnHost, tenantOf);
  st.hostTenants.startFrom(firstOnHost, nextOnHost, tenantOf);
  return crowded;
}

/** Each host's free slots (its capacity less its replicas), distinct tenants and the sum of their indices, from its list. */
function countPerHost(st: ClusterState, firstOnHost: Int32Array, nextOnHost: Int32Array, tenantOf: Int32Array): void {
  const { hostReplicas, tenantDistinct, tenantSum, nHosts, capSlots, freeSlots } = st;
  const seenOn = new Int32Array(st.nTenants).fill(-1);
  for (let h = 0; h < nHosts; h++) {
    if (hostReplicas[h] === 0) continue;
    freeSlots[h] = slotsLeft(capSlots[h]!, hostReplicas[h]!);
    let distinct = 0;
    let sum = 0;
    for (let rep = firstOnHost[h]!; rep >= 0; rep = nextOnHost[rep]!) {
      const t = tenantOf[rep]!;
      if (seenOn[t] === h) continue;
      seenOn[t] = h;
      distinct++;
      sum += t;
    }
    tenantDistinct[h] = distinct;
    tenantSum[h] = sum;
  }
}

/**
 * capacity - replicas, the same number as subtracting one per replica (what
 * ClusterState.assign does): exact at once for Infinity and int32 capacities;
 * any other capacity is counted down one by one. Slots are counted per host,
 * not per replica: reading and writing a Float64Array element allocates a
 * number in code not yet compiled.
 */
function slotsLeft(capacity: number, replicas: number): number {
  if (capacity === Infinity || (capacity | 0) === capacity) return capacity - replicas;
  let left = capacity;
  for (let i = 0; i < replicas; i++) left -= 1;
  return left;
}
