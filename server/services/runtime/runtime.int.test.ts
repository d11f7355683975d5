import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../../testing/process-fleet";
import { endpointsOf, environmentClient, memberRows, untilRunning, votingMembers } from "../../testing/etcd-fleet";
import { saturateCores } from "../../testing/cpu-load";
import { membersAndRows, readEnvironment, startEtcdWorld, writeKeys, type EtcdWorld } from "../../testing/etcd-world";

/**
 * Losing a whole host (kill -9 of its agent and its etcd members) with real
 * processes: the controller declares the host down, removes the lost member,
 * adds its replacement on another host as a learner and promotes it; every key
 * acknowledged before the loss is read back with the environment's own
 * credential at the new endpoints.
 */
let w: EtcdWorld;

beforeAll(async () => {
  w = await startEtcdWorld({
    zone: "rt",
    domains: ["az-1", "az-2", "az-3", "az-4"],
    servers: [
      { name: "ha3", replicas: 3, environments: [{ name: "prod", stage: "production" }] },
      { name: "ha1", replicas: 1, environments: [{ name: "dev", stage: "development" }] },
    ],
  });
}, 60_000);

afterAll(async () => {
  await w?.close();
});

async function membershipAudit(stateServerId: string, since: Date) {
  const events = await w.t.db.auditEvent.findMany({
    where: { targetId: stateServerId, action: { startsWith: "state_server.member_" }, at: { gte: since } },
    orderBy: { id: "asc" },
    select: { action: true },
  });
  return events.map((e) => e.action.replace("state_server.member_", ""));
}

describe("runtime on real etcd", () => {
  it("agents join and the controller bootstraps each server: 3 members in 3 domains, 1 member for HA-1", async () => {
    for (const env of w.world.environments) await untilRunning(w.t.db, env.id, 120_000);
    const ha3 = await votingMembers(w.t.db, w.world.servers[0]!.id);
    expect(ha3).toHaveLength(3);
    const hosts = await w.t.db.host.findMany({ where: { id: { in: ha3.map((r) => r.host!.id) } }, select: { failureDomain: true } });
    expect(new Set(hosts.map((h) => h.failureDomain)).size).toBe(3);
    expect(await votingMembers(w.t.db, w.world.servers[1]!.id)).toHaveLength(1);
    const { members, rows } = await membersAndRows(w.t, w.world.servers[0]!.id);
    expect(members.map((m) => m.id).sort()).toEqual(rows.map((r) => r.memberId).sort());
  }, 150_000);

  it("kill -9 of a whole host while both cores are busy: the member is removed, replaced on another host (learner, then promoted), every key intact", async () => {
    const prod = w.world.environments[0]!;
    const server = prod.stateServerId;
    const client = environmentClient(await endpointsOf(w.t.db, server), prod.id, prod.credential);
    let written: Map<string, string>;
    try {
      written = await writeKeys(client, prod.id, "before-loss", 250);
    } finally {
      client.close();
    }
    const before = await memberRows(w.t.db, server);
    const victim = before.find((r) => !r.isLeader)!;
    const victimHost = victim.host!.name;
    // Every core busy with loops at normal priority while the host dies and is replaced.
    const load = saturateCores();
    const killedAt = new Date();
    w.fleet.kill9(`agent:${victimHost}`);

    let minVoting = 3;
    const replaced = await until(
      "3 voting members again, none on the lost host",
      async () => {
        const voting = await votingMembers(w.t.db, server);
        minVoting = Math.min(minVoting, voting.length);
        const elsewhere = voting.filter((r) => r.host!.name !== victimHost);
        return elsewhere.length === 3 && !elsewhere.some((r) => r.memberId === victim.memberId) && elsewhere;
      },
      120_000,
      100,
    ).finally(() => load.stop());
    console.info(`host loss (cores busy) -> full voting strength: ${Date.now() - killedAt.getTime()} ms`);
    // While the host was lost, quorum held: 2 members kept voting.
    expect(minVoting).toBeGreaterThanOrEqual(2);
    expect((await w.t.db.host.findUniqueOrThrow({ where: { name: victimHost } })).state).toBe("down");
    // One change at a time: remove the lost member, add its replacement as a learner, promote it.
    const changes = await membershipAudit(server, killedAt);
    expect(changes.slice(0, 3)).toEqual(["remove", "add_learner", "promote"]);
    // The rows and etcd's member list agree, one row per member, and the lost member's row is gone.
    const { members, rows } = await membersAndRows(w.t, server);
    expect(members.filter((m) => !m.isLearner)).toHaveLength(3);
    expect(members.map((m) => m.id).sort()).toEqual(rows.map((r) => r.memberId).sort());
    expect(rows.some((r) => r.id === victim.id)).toBe(false);
    expect(replaced.some((r) => !before.some((b) => b.memberId === r.memberId))).toBe(true);

    const read = await readEnvironment(w.t, prod.id, prod.credential);
    for (const [key, value] of written) expect(read.get(key)).toBe(value);
  }, 180_000);

  it("the environment keeps taking writes at the replaced endpoints, and the status is running again", async () => {
    const prod = w.world.environments[0]!;
    await untilRunning(w.t.db, prod.id, 60_000);
    const client = environmentClient(await endpointsOf(w.t.db, prod.stateServerId), prod.id, prod.credential);
    try {
      const written = await writeKeys(client, prod.id, "after-loss", 20);
      const read = await readEnvironment(w.t, prod.id, prod.credential);
      for (const [key, value] of written) expect(read.get(key)).toBe(value);
      expect([...read.keys()].filter((k) => k.includes("before-loss-"))).toHaveLength(250);
    } finally {
      client.close();
    }
  }, 90_000);
});
