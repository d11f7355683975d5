import { isLiveHost, majorityOf, type HostState, type ReplicaLifecycle } from "../model";

/**
 * etcd membership, planned as a pure function per cluster and pass. Desired
 * state is the replica rows the placement reconciler keeps (one per ordinal on
 * a host); observed state is etcd's member list (read by the controller with
 * the root credential) and each member's health (reported by its agent). The
 * plan holds at most ONE membership change per cluster (etcd's runtime
 * reconfiguration guide: one at a time; a new member joins as a learner and is
 * promoted once caught up), and never one that takes the cluster below quorum.
 */
export interface MemberReplica {
  id: string;
  ordinal: number;
  hostState: HostState | null;
  state: ReplicaLifecycle;
  /** http://address:peerPort, once ports are allocated. */
  peerUrl: string | null;
  memberId: string | null;
  /** The agent may start it (initial cluster known). */
  startable: boolean;
  /** Fresh health from the agent: the member answers and sees a leader. */
  healthy: boolean;
}

export interface ObservedMember {
  id: string;
  peerUrls: string[];
  isLearner: boolean;
}

export interface MembershipInput {
  stateServer: string;
  clusterState: "new" | "bootstrapping" | "ready";
  /** Desired voting members. */
  replicas: number;
  rows: MemberReplica[];
  /** etcd's member list; null when not read (cluster not ready, or unreachable this pass). */
  members: ObservedMember[] | null;
}

export type MembershipAction =
  | { kind: "bootstrap"; rows: { replica: string; name: string; peerUrl: string }[]; initialCluster: string }
  | { kind: "enable-auth" }
  | { kind: "remove"; memberId: string; replica: string | null; reason: "host-lost" | "retired" | "unknown" }
  | { kind: "promote"; memberId: string; replica: string }
  | { kind: "add-learner"; replica: string; name: string; peerUrl: string; initialCluster: string }
  | { kind: "wait"; reason: string };

export interface MembershipPlan {
  stateServer: string;
  /** Rows whose member id is now known (bookkeeping, not a membership change). */
  record: { replica: string; memberId: string }[];
  /** Rows whose member is gone from the cluster: removed, so the row goes and its agent wipes the data dir. */
  discard: string[];
  action: MembershipAction | null;
}

const initialClusterOf = (entries: { name: string; peerUrl: string }[]) => entries.map((e) => `${e.name}=${e.peerUrl}`).join(",");

export function planMembership(input: MembershipInput): MembershipPlan {
  const plan: MembershipPlan = { stateServer: input.stateServer, record: [], discard: [], action: null };
  if (input.clusterState === "new") {
    plan.action = planBootstrap(input);
    return plan;
  }
  if (input.clusterState === "bootstrapping") {
    const healthy = input.rows.filter((r) => r.startable && r.healthy).length;
    plan.action = healthy >= majorityOf(input.replicas) ? { kind: "enable-auth" } : { kind: "wait", reason: "members electing a leader" };
    return plan;
  }
  if (!input.members) {
    plan.action = { kind: "wait", reason: "cluster unreachable (no quorum?)" };
    return plan;
  }
  const byPeer = new Map(input.members.flatMap((m) => m.peerUrls.map((u) => [u, m] as const)));
  const memberOf = new Map<string, ObservedMember>();
  for (const row of input.rows) {
    const member = row.peerUrl ? byPeer.get(row.peerUrl) : undefined;
    if (member) {
      memberOf.set(row.id, member);
      if (row.memberId !== member.id) plan.record.push({ replica: row.id, memberId: member.id });
    } else if (row.memberId) plan.discard.push(row.id); // it was a member and is not any more
  }
  const rowOf = new Map([...memberOf].map(([replica, member]) => [member.id, input.rows.find((r) => r.id === replica)!]));
  const voters = input.members.filter((m) => !m.isLearner);
  const healthyVoters = voters.filter((m) => rowOf.get(m.id)?.healthy && isLiveHost(rowOf.get(m.id)!.hostState)).length;
  const quorum = healthyVoters >= majorityOf(voters.length);

  // 1. Members that must go: unknown to the rows, lost with their host, or retired (stopping).
  interface Leaving {
    member: ObservedMember;
    row: MemberReplica | undefined;
    reason: "host-lost" | "retired" | "unknown";
    healthy: boolean;
  }
  const leaving = input.members.flatMap((m): Leaving[] => {
    const row = rowOf.get(m.id);
    if (!row) return [{ member: m, row, reason: "unknown", healthy: false }];
    if (!isLiveHost(row.hostState)) return [{ member: m, row, reason: "host-lost", healthy: false }];
    if (row.state === "stopping") return [{ member: m, row, reason: "retired", healthy: row.healthy }];
    return [];
  });
  leaving.sort((a, b) => Number(a.healthy) - Number(b.healthy)); // dead ones first
  for (const l of leaving) {
    const votersAfter = l.member.isLearner ? voters.length : voters.length - 1;
    const healthyAfter = healthyVoters - (l.healthy && !l.member.isLearner ? 1 : 0);
    if (!quorum) break;
    // Make-before-break: a healthy voter retired from a live host (drain, move, rebalance) leaves only once
    // the cluster has more voters than it should (its replacement votes); a dead one goes first, like a lost one.
    if (l.reason === "retired" && l.healthy && !l.member.isLearner && voters.length <= input.replicas) continue;
    if (votersAfter > 0 && healthyAfter < majorityOf(votersAfter)) continue;
    plan.action = { kind: "remove", memberId: l.member.id, replica: l.row?.id ?? null, reason: l.reason };
    return plan;
  }
  if (!quorum) {
    plan.action = { kind: "wait", reason: `quorum lost: ${healthyVoters} of ${voters.length} voting members healthy` };
    return plan;
  }
  // 2. A learner is promoted once it has caught up. etcd's leader judges that (it refuses a learner whose log
  // is behind; the next pass retries), so the plan asks as soon as the learner's process runs: etcd 3.4 serves a
  // joining member's clients only after its own "publish" proposal, which is dropped when it is made before the
  // member has heard from the leader and then retried only after 10 s, while its raft log keeps up all along.
  const learner = input.members.find((m) => m.isLearner && rowOf.get(m.id)?.state !== "stopping");
  if (learner) {
    const row = rowOf.get(learner.id);
    plan.action =
      row && (row.healthy || row.state === "starting")
        ? { kind: "promote", memberId: learner.id, replica: row.id }
        : { kind: "wait", reason: "learner not started yet" };
    return plan;
  }
  // 3. A placed row that is not a member yet joins as a learner (lowest ordinal first).
  const joining = input.rows
    .filter((r) => !memberOf.has(r.id) && !r.memberId && r.peerUrl && r.state !== "stopping" && r.hostState === "ready")
    .sort((a, b) => a.ordinal - b.ordinal || (a.id < b.id ? -1 : 1))[0];
  if (joining) {
    const existing = input.members.map((m) => ({ name: nameOf(m, rowOf), peerUrl: m.peerUrls[0]! }));
    plan.action = {
      kind: "add-learner",
      replica: joining.id,
      name: joining.id,
      peerUrl: joining.peerUrl!,
      initialCluster: initialClusterOf([...existing, { name: joining.id, peerUrl: joining.peerUrl! }]),
    };
  }
  return plan;
}

/** A member's name is its replica id (the agent starts it so); a member we do not know keeps its own. */
const nameOf = (member: ObservedMember, rowOf: Map<string, MemberReplica>) => rowOf.get(member.id)?.id ?? member.id;

function planBootstrap(input: MembershipInput): MembershipAction {
  const rows = input.rows
    .filter((r) => r.ordinal < input.replicas && r.state !== "stopping" && r.peerUrl && r.hostState === "ready")
    .sort((a, b) => a.ordinal - b.ordinal);
  const ordinals = new Set(rows.map((r) => r.ordinal));
  if (ordinals.size < input.replicas) return { kind: "wait", reason: `${ordinals.size} of ${input.replicas} members placed` };
  const chosen = [...ordinals].map((o) => rows.find((r) => r.ordinal === o)!);
  const entries = chosen.map((r) => ({ replica: r.id, name: r.id, peerUrl: r.peerUrl! }));
  return { kind: "bootstrap", rows: entries, initialCluster: initialClusterOf(entries) };
}
