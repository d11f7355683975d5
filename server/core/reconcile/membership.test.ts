import { describe, expect, it } from "vitest";
import { planMembership, type MemberReplica, type MembershipInput, type ObservedMember } from "./membership";

const row = (ordinal: number, over: Partial<MemberReplica> = {}): MemberReplica => ({
  id: `r${ordinal}`,
  ordinal,
  hostState: "ready",
  state: "running",
  peerUrl: `http://h${ordinal}:2380`,
  memberId: `m${ordinal}`,
  startable: true,
  healthy: true,
  ...over,
});
const member = (ordinal: number, isLearner = false): ObservedMember => ({
  id: `m${ordinal}`,
  peerUrls: [`http://h${ordinal}:2380`],
  isLearner,
});
const ready = (rows: MemberReplica[], members: ObservedMember[], replicas = 3): MembershipInput => ({
  stateServer: "s",
  clusterState: "ready",
  replicas,
  rows,
  members,
});

describe("planMembership: one etcd membership change per cluster and pass, never below quorum", () => {
  it("bootstraps only once every ordinal is placed with ports, with every member in the initial cluster", () => {
    const fresh = (o: number) => row(o, { memberId: null, startable: false, state: "scheduled", healthy: false });
    expect(
      planMembership({ stateServer: "s", clusterState: "new", replicas: 3, rows: [fresh(0), fresh(1)], members: null }).action,
    ).toMatchObject({
      kind: "wait",
    });
    const plan = planMembership({
      stateServer: "s",
      clusterState: "new",
      replicas: 3,
      rows: [fresh(0), fresh(1), fresh(2)],
      members: null,
    });
    expect(plan.action).toEqual({
      kind: "bootstrap",
      rows: [0, 1, 2].map((o) => ({ replica: `r${o}`, name: `r${o}`, peerUrl: `http://h${o}:2380` })),
      initialCluster: "r0=http://h0:2380,r1=http://h1:2380,r2=http://h2:2380",
    });
  });

  it("enables auth once a majority of the bootstrapped members answers with a leader", () => {
    const rows = [row(0), row(1, { healthy: false }), row(2, { healthy: false })];
    expect(planMembership({ stateServer: "s", clusterState: "bootstrapping", replicas: 3, rows, members: null }).action?.kind).toBe("wait");
    rows[1] = row(1);
    expect(planMembership({ stateServer: "s", clusterState: "bootstrapping", replicas: 3, rows, members: null }).action?.kind).toBe(
      "enable-auth",
    );
  });

  it("replaces a member lost with its host: remove first, then the replacement joins as a learner, then it is promoted", () => {
    const lost = row(2, { hostState: "down", healthy: false });
    const replacement = row(2, {
      id: "r2b",
      peerUrl: "http://h3:2380",
      memberId: null,
      startable: false,
      state: "scheduled",
      healthy: false,
    });
    const members = [member(0), member(1), member(2)];
    expect(planMembership(ready([row(0), row(1), lost, replacement], members)).action).toEqual({
      kind: "remove",
      memberId: "m2",
      replica: "r2",
      reason: "host-lost",
    });
    const afterRemove = planMembership(ready([row(0), row(1), replacement], [member(0), member(1)]));
    expect(afterRemove.action).toEqual({
      kind: "add-learner",
      replica: "r2b",
      name: "r2b",
      peerUrl: "http://h3:2380",
      initialCluster: "r0=http://h0:2380,r1=http://h1:2380,r2b=http://h3:2380",
    });
    const learner = { id: "m9", peerUrls: ["http://h3:2380"], isLearner: true };
    const added = row(2, { id: "r2b", peerUrl: "http://h3:2380", memberId: "m9", state: "scheduled", healthy: false });
    expect(planMembership(ready([row(0), row(1), added], [member(0), member(1), learner])).action).toEqual({
      kind: "wait",
      reason: "learner not started yet",
    });
    // Its process runs, not serving clients yet (etcd 3.4's publish): etcd's leader judges whether it caught up.
    const started = { ...added, state: "starting" as const };
    expect(planMembership(ready([row(0), row(1), started], [member(0), member(1), learner])).action).toEqual({
      kind: "promote",
      memberId: "m9",
      replica: "r2b",
    });
    const joined = row(2, { id: "r2b", peerUrl: "http://h3:2380", memberId: "m9", state: "learner" });
    expect(planMembership(ready([row(0), row(1), joined], [member(0), member(1), learner])).action).toEqual({
      kind: "promote",
      memberId: "m9",
      replica: "r2b",
    });
  });

  it("drains make-before-break: the learner on the target first, the retired member only after", () => {
    const leaving = row(1, { state: "stopping" });
    const target = row(1, { id: "r1b", peerUrl: "http://h4:2380", memberId: null, startable: false, state: "scheduled", healthy: false });
    // The retired member still votes and is healthy: the target joins first (as a learner)...
    const plan = planMembership(ready([row(0), leaving, row(2), target], [member(0), member(1), member(2)]));
    expect(plan.action).toMatchObject({ kind: "add-learner", replica: "r1b" });
    // ...and once it votes (4 voters for 3 wanted) the retired member goes...
    const voting = row(1, { id: "r1b", peerUrl: "http://h4:2380", memberId: "m4" });
    const four = [member(0), member(1), member(2), { id: "m4", peerUrls: ["http://h4:2380"], isLearner: false }];
    expect(planMembership(ready([row(0), leaving, row(2), voting], four)).action).toMatchObject({
      kind: "remove",
      memberId: "m1",
      reason: "retired",
    });
    // ...but not when that would leave no healthy majority: 2 healthy of 3 after, with one voter down, is still fine; 1 of 2 is not.
    const downToo = planMembership(ready([row(0), leaving, row(2, { healthy: false }), target], [member(0), member(1), member(2)]));
    expect(downToo.action?.kind).not.toBe("remove");
  });

  it("a host lost in the middle of a move: the lost member goes first, the retiring one keeps voting until its replacement does", () => {
    // Ordinal 2 is moving from h2 (retiring, still a healthy voter) to h5; the host of ordinal 0 is lost meanwhile.
    const lost = row(0, { hostState: "down", healthy: false });
    const retiring = row(2, { state: "stopping" });
    const moveTarget = row(2, {
      id: "r2b",
      peerUrl: "http://h5:2380",
      memberId: null,
      startable: false,
      state: "scheduled",
      healthy: false,
    });
    const replacement = row(0, {
      id: "r0b",
      peerUrl: "http://h6:2380",
      memberId: null,
      startable: false,
      state: "scheduled",
      healthy: false,
    });
    const rows = [lost, row(1), retiring, moveTarget, replacement];
    expect(planMembership(ready(rows, [member(0), member(1), member(2)])).action).toMatchObject({ kind: "remove", memberId: "m0" });
    // Two voters left (m1 and the retiring m2): quorum holds, nothing else leaves, the replacement of ordinal 0 joins.
    const after = planMembership(ready([row(1), retiring, moveTarget, replacement], [member(1), member(2)]));
    expect(after.action).toMatchObject({ kind: "add-learner", replica: "r0b" });
  });

  it("makes no change without quorum, and records member ids it learns from the member list", () => {
    const rows = [row(0, { memberId: null }), row(1, { hostState: "down", healthy: false }), row(2, { hostState: "down", healthy: false })];
    const plan = planMembership(ready(rows, [member(0), member(1), member(2)]));
    expect(plan.action).toMatchObject({ kind: "wait", reason: expect.stringMatching(/quorum lost/) });
    expect(plan.record).toEqual([{ replica: "r0", memberId: "m0" }]);
  });

  it("discards a row whose member is no longer in the cluster, and changes nothing on a converged cluster", () => {
    const plan = planMembership(ready([row(0), row(1), row(2)], [member(0), member(1)]));
    expect(plan.discard).toEqual(["r2"]);
    expect(planMembership(ready([row(0), row(1), row(2)], [member(0), member(1), member(2)]))).toEqual({
      stateServer: "s",
      record: [],
      discard: [],
      action: null,
    });
  });
});
