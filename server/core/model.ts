/**
 * Domain vocabulary shared by the controller core and the web app.
 * Pure types and constant lists only: no I/O, no clock, no randomness.
 */

export const HOST_STATES = ["ready", "cordoned", "draining", "down"] as const;
export type HostState = (typeof HOST_STATES)[number];
/** Host states whose agent is taken to be alive: its members count (a down host's do not). */
export const LIVE_HOST_STATES: readonly HostState[] = ["ready", "cordoned", "draining"];
export const isLiveHost = (state: string | null | undefined): boolean => !!state && (LIVE_HOST_STATES as readonly string[]).includes(state);

export const REPLICA_LIFECYCLES = ["pending", "scheduled", "starting", "learner", "running", "failed", "stopping"] as const;
export type ReplicaLifecycle = (typeof REPLICA_LIFECYCLES)[number];

export const STAGES = ["development", "staging", "production"] as const;
export type Stage = (typeof STAGES)[number];

export const ISOLATIONS = ["shared", "dedicated"] as const;
export type Isolation = (typeof ISOLATIONS)[number];

export const SPREAD_MODES = ["required", "preferred"] as const;
export type SpreadMode = (typeof SPREAD_MODES)[number];

export const PLACEMENT_STRATEGIES = ["spread", "binpack"] as const;
export type PlacementStrategy = (typeof PLACEMENT_STRATEGIES)[number];

export const HA_LEVELS = [1, 3, 5] as const;
export type HaLevel = (typeof HA_LEVELS)[number];

export const ZONE_PURPOSES = ["control-plane", "workload", "restricted"] as const;
export type ZonePurpose = (typeof ZONE_PURPOSES)[number];

/** Votes needed for a replicated state server to keep serving. */
export function majorityOf(replicas: number): number {
  return Math.floor(replicas / 2) + 1;
}
