/** Statuses that are still changing: pages poll quickly while one is shown. */
export const TRANSIENT_STATUSES = new Set(["pending", "placing", "starting", "removing", "degraded", "unavailable"]);

/** Poll every 1.5 s while something is in motion, else every 10 s. */
export const LIVE_INTERVAL_MS = 1500;
export const IDLE_INTERVAL_MS = 10_000;

export const isTransient = (status: string) => TRANSIENT_STATUSES.has(status);
