import type { Isolation, PlacementStrategy, ReplicaLifecycle, SpreadMode, Stage } from "../model";
import type { HostedByEdge, PlacementHost, PlacementRule, ReasonCounts } from "../placement";

/** A host as the reconciler sees it: the engine's host (desired admin state) plus what it observed. */
export interface ReconcileHost extends PlacementHost {
  /** Epoch milliseconds of the last heartbeat; null when it never sent one. */
  lastHeartbeatAt: number | null;
  /** False for machines of an environment that is not a host pool: they take no new replicas. */
  acceptsReplicas: boolean;
}

export interface ReconcileStateServer {
  id: string;
  tenant: string;
  replicas: number;
  cpuMillis: number;
  memoryMiB: number;
  zone: string;
  isolation: Isolation;
  spread: SpreadMode;
  environments: string[];
  /** The stage it serves (stage separation keeps production apart from every other stage); absent = none. */
  stage?: Stage;
}

export interface ReconcileReplica {
  id: string;
  stateServer: string;
  ordinal: number;
  host: string | null;
  state: ReplicaLifecycle;
  /** Epoch milliseconds; orders duplicates of one ordinal deterministically. */
  createdAt: number;
  /**
   * An etcd member of its cluster. On a down host such a row stays until the
   * controller has removed the member from the cluster (membership.ts): deleting
   * it first would let the host, when it comes back, lose a member that still votes.
   */
  member?: boolean;
}

export type EnvironmentStatus = "pending" | "placing" | "starting" | "running" | "degraded" | "unavailable" | "failed" | "removing";

export interface ReconcileEnvironment {
  id: string;
  stateServer: string | null;
  status: EnvironmentStatus;
  /** False until its etcd user, role and prefix exist on its state server (absent: true). */
  dataReady?: boolean;
}

/** Everything one pass reads: desired state (servers, environments, host admin state) and observed state (heartbeats, replica rows). */
export interface ReconcileInput {
  strategy: PlacementStrategy;
  hosts: ReconcileHost[];
  stateServers: ReconcileStateServer[];
  replicas: ReconcileReplica[];
  environments: ReconcileEnvironment[];
  hostedBy?: HostedByEdge[];
  rules?: PlacementRule[];
}

export interface ReconcileOptions {
  /** Epoch milliseconds: the pass's notion of now (core never reads the clock). */
  now: number;
  heartbeatIntervalMs: number;
  /** A host that misses this many heartbeats is down. */
  missedHeartbeats: number;
}

export type PlaceReason = "new" | "failover" | "drain" | "replace";

export interface PlannedPlacement {
  stateServer: string;
  ordinal: number;
  host: string;
  reason: PlaceReason;
  /** An existing unplaced (pending) row to give this host to, instead of a new row. */
  replica?: string;
  /** Host the replica leaves (failover, drain). */
  from?: string;
}

export interface PlannedRemoval {
  replica: string;
  stateServer: string;
  ordinal: number;
  host: string | null;
  reason: "host-down" | "moved" | "scaled-down" | "duplicate" | "orphan";
}

export interface PlannedUnplaced {
  stateServer: string;
  ordinal: number;
  /** The pending row to record the reason on; absent when a row must be created. */
  replica?: string;
  reasons: ReasonCounts;
  message: string;
}

export interface PlannedStatus {
  environment: string;
  from: EnvironmentStatus;
  to: EnvironmentStatus;
  running: number;
  total: number;
}

/**
 * One pass's plan. `place` creates (or assigns) replica rows that agents then
 * start; `stop` asks a live host's agent to stop a replica (the row goes once
 * the agent no longer reports it); `remove` deletes rows whose host is gone.
 */
export interface ReconcilePlan {
  markDown: { host: string; lastHeartbeatAt: number | null }[];
  place: PlannedPlacement[];
  stop: PlannedRemoval[];
  remove: PlannedRemoval[];
  unplaced: PlannedUnplaced[];
  statuses: PlannedStatus[];
}
