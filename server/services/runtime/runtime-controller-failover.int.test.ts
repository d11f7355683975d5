import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../../testing/process-fleet";
import { endpointsOf, environmentClient, memberRows, untilRunning, votingMembers } from "../../testing/etcd-fleet";
import { membersAndRows, readEnvironment, startEtcdWorld, writeKeys, type EtcdWorld } from "../../testing/etcd-world";

/**
 * kill -9 of the leading controller in the middle of a membership change (a
 * lost member's replacement was added as a learner, not yet promoted): the
 * standby takes the lease and finishes the change; no second learner or
 * member is added for the slot, etcd's member list and the rows agree one to
 * one, and every key is intact.
 */
let w: EtcdWorld;

beforeAll(async () => {
  w = await startEtcdWorld({
    zone: "failover",
    domains: ["az-1", "az-2", "az-3", "az-4"],
    controllers: ["c1", "c2"],
    servers: [{ name: "ha3", replicas: 3, environments: [{ name: "prod", stage: "production" }] }],
  });
}, 60_000);

afterAll(async () => {
  await w?.close();
});

async function memberEvents(stateServerId: string, sinceId: bigint) {
  return w.t.db.auditEvent.findMany({
    where: { targetId: stateServerId, action: { startsWith: "state_server.member_" }, id: { gt: sinceId } },
    orderBy: { id: "asc" },
    select: { action: true, actorId: true },
  });
}

describe("controller failover during a membership change", () => {
  it("the standby finishes the replacement started by the killed leader: no duplicate member", async () => {
    const prod = w.world.environments[0]!;
    const server = prod.stateServerId;
    await untilRunning(w.t.db, prod.id, 120_000);
    const client = environmentClient(await endpointsOf(w.t.db, server), prod.id, prod.credential);
    let written: Map<string, string>;
    try {
      written = await writeKeys(client, prod.id, "k", 200);
    } finally {
      client.close();
    }
    const lastEvent = (await w.t.db.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } }))?.id ?? 0n;
    const victim = (await memberRows(w.t.db, server)).find((r) => !r.isLeader)!;
    w.fleet.kill9(`agent:${victim.host!.name}`);

    // The leader removes the lost member and adds its replacement as a learner; it dies before promoting it.
    const learnerAdded = await until(
      "the replacement added as a learner",
      async () => (await memberEvents(server, lastEvent)).find((e) => e.action === "state_server.member_add_learner"),
      120_000,
      50,
    );
    const leader = learnerAdded.actorId!;
    w.fleet.kill9(`controller:${leader}`);
    const standby = leader === "c1" ? "c2" : "c1";
    const killedAt = Date.now();

    await until(
      "3 voting members, none on the lost host",
      async () => {
        const voting = await votingMembers(w.t.db, server);
        return voting.length === 3 && voting.every((r) => r.host!.name !== victim.host!.name);
      },
      120_000,
      200,
    );
    console.info(`leading controller killed mid-change -> 3 voting members: ${Date.now() - killedAt} ms`);
    const events = await memberEvents(server, lastEvent);
    // The standby promoted the learner the leader had added; nobody added a second one.
    expect(events.filter((e) => e.action === "state_server.member_add_learner")).toHaveLength(1);
    expect(events.find((e) => e.action === "state_server.member_promote")?.actorId).toBe(standby);

    const { members, rows } = await membersAndRows(w.t, server);
    expect(members).toHaveLength(3);
    expect(members.filter((m) => m.isLearner)).toEqual([]);
    const withMember = rows.filter((r) => r.memberId);
    expect(withMember.map((r) => r.memberId).sort()).toEqual(members.map((m) => m.id).sort());
    expect(new Set(withMember.map((r) => r.ordinal)).size).toBe(3);
    expect(rows.some((r) => r.memberId === victim.memberId)).toBe(false);

    const read = await readEnvironment(w.t, prod.id, prod.credential);
    for (const [key, value] of written) expect(read.get(key)).toBe(value);
  }, 300_000);
});
