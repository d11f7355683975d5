/** Runtime timing, shared by the app, the controller and the agents (env overrides for tests and the demo). */
const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

export const HEARTBEAT_INTERVAL_MS = num("STATEHOUSE_HEARTBEAT_MS", 1000);
/**
 * A host that misses this many heartbeats is marked down. Measured with both
 * cores saturated (bench/agent-heartbeat.bench.ts) the longest gap between a
 * live agent's beats was 1.25 s; 3 (the old value) left little room for a GC
 * pause or a stalled fsync, and a false "down" now costs a member its data
 * (it is fenced and replaced), while a late one only leaves a cluster degraded
 * (etcd keeps quorum by itself) for two more seconds.
 */
export const MISSED_HEARTBEATS = num("STATEHOUSE_MISSED_HEARTBEATS", 5);
export const RECONCILE_INTERVAL_MS = num("STATEHOUSE_RECONCILE_MS", 1000);
