import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withEtcd } from "./client";
import { addLearner, enableAuth, listMembers, promoteMember, RetryLater, rootAccess } from "./cluster-admin";
import { startBareCluster, type BareCluster } from "../testing/bare-etcd";
import { freePort } from "../testing/ports";

/**
 * The controller's membership calls against a real etcd 3.4 cluster with auth
 * on, asked through one member at a time as the controller asks them.
 */
let cluster: BareCluster;
const password = "root-password-for-the-test";

beforeAll(async () => {
  cluster = await startBareCluster(3);
  await enableAuth(cluster.endpoints, { password });
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

/** The controller's loop: a refusal for now (RetryLater) is tried again on the next pass; anything else fails. */
async function retried<T>(fn: () => Promise<T>, refusals: string[] = []): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof RetryLater) || Date.now() > deadline) throw error;
      refusals.push(error.message);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

async function memberStatus(endpoint: string) {
  return withEtcd(rootAccess([endpoint], { password }), (root) => root.maintenance.status());
}

describe("promoteMember", () => {
  it("promotes a learner when asked through a follower (etcd 3.4 forwards a follower's promote without credentials)", async () => {
    const statuses = await Promise.all(cluster.endpoints.map(memberStatus));
    const follower = cluster.endpoints[statuses.findIndex((s) => s.header.member_id !== s.leader)]!;
    const peerPort = await freePort();
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const learnerId = await retried(() => withEtcd(rootAccess([follower], { password }), (root) => addLearner(root, peerUrl)));
    const members = await withEtcd(rootAccess([follower], { password }), listMembers);
    const initial = members.map((m) => `${m.name || "learner"}=${m.peerUrls[0]}`).join(",");
    await cluster.join("learner", peerPort, initial);

    const refusals: string[] = [];
    await retried(() => withEtcd(rootAccess([follower], { password }), (root) => promoteMember(root, learnerId, { password })), refusals);
    // Forwarded by the follower, every attempt ended in "request timed out" after the 3 s deadline, never promoted.
    expect(refusals.filter((m) => /timed out|deadline/i.test(m))).toEqual([]);
    const after = await withEtcd(rootAccess([follower], { password }), listMembers);
    expect(after.find((m) => m.id === learnerId)).toMatchObject({ isLearner: false });
    expect(after.filter((m) => !m.isLearner).map((m) => m.id)).toHaveLength(4);
  }, 60_000);
});
