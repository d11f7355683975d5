import type { HostState, Isolation, PlacementStrategy, SpreadMode, Stage } from "../model";
import type { ReasonCode } from "./reasons";

/** A machine that can run state server replicas (docs/design.md, contract 2). */
export interface PlacementHost {
  id: string;
  /** Security zone id. */
  zone: string;
  failureDomain: string;
  cpuMillis: number;
  memoryMiB: number;
  /** Replica slots; unlimited when absent. */
  maxReplicas?: number;
  state: HostState;
  /** The host only takes replicas of this tenant. */
  dedicatedTenant?: string;
  /** Hosted mode: the host is a machine of this environment. */
  environment?: string;
}

export interface PlacementStateServer {
  id: string;
  tenant: string;
  replicas: number;
  cpuMillis: number;
  memoryMiB: number;
  zones: string[];
  isolation: Isolation;
  spread: SpreadMode;
  environments: string[];
  /** Optional extension: used by the `stageSeparation` rule. */
  stage?: Stage;
}

export interface ReplicaRef {
  stateServer: string;
  ordinal: number;
}

export interface ExistingPlacement extends ReplicaRef {
  host: string;
}

export interface HostedByEdge {
  environment: string;
  hostEnvironment: string;
}

export type PlacementRule =
  | { kind: "neverShare"; tenants: [string, string] }
  | { kind: "stageSeparation" }
  | { kind: "zoneReserved"; zone: string; tenants: string[] };

export interface PlacementProblem {
  strategy: PlacementStrategy;
  hosts: PlacementHost[];
  stateServers: PlacementStateServer[];
  existing: ExistingPlacement[];
  hostedBy?: HostedByEdge[];
  rules?: PlacementRule[];
}

export interface Placement extends ReplicaRef {
  host: string;
}

export interface Move extends ReplicaRef {
  from: string;
  to: string;
}

export type ReasonCounts = Partial<Record<ReasonCode, number>>;

export interface UnplacedReplica extends ReplicaRef {
  reasons: ReasonCounts;
  message: string;
  /** Host it was on before, when it had to leave (down/draining host). Not part of contract 2. */
  from?: string;
}

export interface PlacementResult {
  placements: Placement[];
  moved: Move[];
  unplaced: UnplacedReplica[];
  stats: { millis: number };
}

export interface PlaceOptions {
  /** Monotonic clock in milliseconds (performance.now); core never reads time itself. */
  clock?: () => number;
  /** binpack on small problems: run the exact search after the greedy pass (default true). */
  exact?: boolean;
}
