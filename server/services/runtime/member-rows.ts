import type { DesiredMember, ObservedMember, TlsMaterial } from "../../contracts/agent";
import type { ReplicaState } from "../../db/generated/client";

/** A replica row as the heartbeat paths read it (one JSON object per row from SNAPSHOT_SQL). */
export interface MemberRow {
  id: string;
  state: string;
  port: number | null;
  peerPort: number | null;
  restarts: number;
  ss: string;
  ord: number;
  memberId: string | null;
  initialCluster: string | null;
  initialClusterState: string | null;
  isLeader: boolean;
  isLearner: boolean;
  healthAt: string | null;
  token: string;
  failureReason: string | null;
  /** md5 of the member's certificate PEM (null: a plain-HTTP cluster's member, or no certificate yet). */
  tls: string | null;
}

/** What a row becomes from what its agent saw: the state people and the reconciler read, and the health flags. */
export function observedRow(m: ObservedMember): {
  state: ReplicaState;
  failureReason: string | null;
  isLeader: boolean;
  isLearner: boolean;
} {
  if (m.state === "failed") return { state: "failed", failureReason: m.error ?? "exited", isLeader: false, isLearner: false };
  if (m.state === "starting" || !m.health) return { state: "starting", failureReason: null, isLeader: false, isLearner: false };
  const h = m.health;
  if (h.isLearner) return { state: "learner", failureReason: null, isLeader: false, isLearner: true };
  if (!h.leaderId) return { state: "failed", failureReason: "member sees no leader: quorum lost", isLeader: false, isLearner: false };
  return {
    state: "running",
    failureReason: h.alarms.length ? `alarms: ${h.alarms.join(", ")}` : null,
    isLeader: h.leaderId === h.memberId,
    isLearner: false,
  };
}

/**
 * A member stays desired while it is not stopping, or while it is still a member of its cluster (removed first, then
 * stopped). `tlsFor` gives a member's TLS material when its agent must be sent it.
 */
export const desiredOf = <Row extends MemberRow>(
  host: { address: string },
  rows: readonly Row[],
  tlsFor: (row: Row) => TlsMaterial | undefined = () => undefined,
): DesiredMember[] =>
  rows
    .filter((r) => (r.state !== "stopping" && r.state !== "pending") || r.memberId)
    .filter((r) => r.port && r.peerPort)
    .map((r) => ({
      id: r.id,
      stateServerId: r.ss,
      ordinal: r.ord,
      clientPort: r.port!,
      peerPort: r.peerPort!,
      address: host.address,
      clusterToken: r.token,
      ...(r.initialCluster
        ? { initialCluster: r.initialCluster, initialClusterState: r.initialClusterState === "new" ? "new" : "existing" }
        : {}),
      ...withTls(tlsFor(r)),
    }));

const withTls = (tls: TlsMaterial | undefined) => (tls ? { tls } : {});
