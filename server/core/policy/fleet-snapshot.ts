import type { ReplicaLifecycle } from "../model";
import type { EnvironmentStatus } from "../reconcile";
import type { PolicyRule } from "./rules";
import type { PolicyWorld } from "./world";

/**
 * The whole fleet as one read sees it (services/fleet-snapshot.ts loads it):
 * every row the controller, the previews, compliance and the map's
 * explanations need, and the active policy rules. Every list is in id order
 * (replicas: server, ordinal, id), so whatever is built from it is deterministic.
 */
export interface FleetSnapshot {
  tenants: PolicyWorld["tenants"];
  zones: PolicyWorld["zones"];
  grants: PolicyWorld["grants"];
  /** Every environment, removing ones too: until gone they still hold data on their state server. */
  environments: (PolicyWorld["environments"][number] & { status: EnvironmentStatus; isHostPool: boolean; dataServerId?: string | null })[];
  stateServers: PolicyWorld["stateServers"];
  /** Every replica row, stopping ones too (the placement problem leaves those out). */
  replicas: (PolicyWorld["replicas"][number] & { state: ReplicaLifecycle; createdAt: number; memberId?: string | null })[];
  /** `lastHeartbeatAt`: epoch milliseconds, null when the host never sent one. */
  hosts: (PolicyWorld["hosts"][number] & { lastHeartbeatAt: number | null })[];
  rules: PolicyRule[];
}

/**
 * What compliance judges: environments being removed and replicas being
 * stopped are on their way out, so they break no rule.
 */
export function policyWorldOf(snapshot: FleetSnapshot): PolicyWorld {
  return {
    tenants: snapshot.tenants,
    zones: snapshot.zones,
    grants: snapshot.grants,
    environments: snapshot.environments.filter((e) => e.status !== "removing"),
    stateServers: snapshot.stateServers,
    replicas: snapshot.replicas.filter((r) => r.state !== "stopping"),
    hosts: snapshot.hosts,
  };
}
