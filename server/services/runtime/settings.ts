/** Runtime timing, shared by the app, the controller and the agents (env overrides for tests and the demo). */
const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

export const HEARTBEAT_INTERVAL_MS = num("STATEHOUSE_HEARTBEAT_MS", 1000);
/** A host that misses this many heartbeats is marked down. */
export const MISSED_HEARTBEATS = 3;
export const RECONCILE_INTERVAL_MS = num("STATEHOUSE_RECONCILE_MS", 1000);
