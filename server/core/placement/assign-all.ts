import { type ClusterState, STAGE_PRODUCTION, STAGE_STAGING } from "./state";

/**
 * Assigns every replica rep with keptHost[rep] >= 0 to that host, on a state
 * where no replica is assigned and no host is a machine of an environment:
 * the counters ClusterState.assign keeps, for all replicas at once, in flat
 * passes (per replica, then per host for the tenants) instead of a call and
 * a hash probe per replica. The (host, tenant) table starts from the
 * per-host tenant lists (HostTenantCounts.startFrom).
 */
export function assignAll(st: ClusterState, keptHost: Int32Array): void {
  if (st.anyHostedHost) throw new Error("assignAll: hosts of environments need assign (hosting edges)");
  const { replicaServer, replicaHost, serverCpu, serverMem, serverTenant, serverDedicated, serverStage } = st;
  const { freeCpu, freeMem, freeSlots, hostReplicas, dedicatedCount, productionCount, stagingCount } = st;
  for (let rep = 0; rep < keptHost.length; rep++) {
    const h = keptHost[rep]!;
    if (h < 0) continue;
    if (replicaHost[rep]! >= 0) throw new Error(`assignAll: replica ${rep} already has a host`);
    const s = replicaServer[rep]!;
    replicaHost[rep] = h;
    freeCpu[h] = freeCpu[h]! - serverCpu[s]!;
    freeMem[h] = freeMem[h]! - serverMem[s]!;
    freeSlots[h] = freeSlots[h]! - 1;
    hostReplicas[h]!++;
    if (serverDedicated[s]) dedicatedCount[h]!++;
    const stage = serverStage[s]!;
    if (stage === STAGE_PRODUCTION) productionCount[h]!++;
    else if (stage === STAGE_STAGING) stagingCount[h]!++;
  }
  // Each host's tenants, one entry per replica (a counting sort by host), then its distinct tenants and their sum.
  const start = new Int32Array(st.nHosts + 1);
  for (let h = 0; h < st.nHosts; h++) start[h + 1] = start[h]! + hostReplicas[h]!;
  const next = start.slice(0, st.nHosts);
  const tenants = new Int32Array(start[st.nHosts]!);
  for (let rep = 0; rep < keptHost.length; rep++) {
    const h = keptHost[rep]!;
    if (h >= 0) tenants[next[h]!++] = serverTenant[replicaServer[rep]!]!;
  }
  const seenOn = new Int32Array(st.nTenants).fill(-1);
  for (let h = 0; h < st.nHosts; h++)
    for (let i = start[h]!; i < start[h + 1]!; i++) {
      const t = tenants[i]!;
      if (seenOn[t] === h) continue;
      seenOn[t] = h;
      st.tenantDistinct[h]!++;
      st.tenantSum[h] = st.tenantSum[h]! + t;
    }
  st.hostTenants.startFrom(start, tenants);
}
