import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../../testing/process-fleet";
import { endpointsOf, environmentClient, environmentPrefix, memberRows, untilRunning, votingMembers } from "../../testing/etcd-fleet";
import { environmentStatus, membersAndRows, readEnvironment, startEtcdWorld, writeKeys, type EtcdWorld } from "../../testing/etcd-world";

/**
 * Quorum loss and recovery on a real 3-member cluster: kill -9 of two of the
 * three member hosts makes the environment unavailable (status from observed
 * member health); restarting one host's agent (same name, same state dir, its
 * saved credential) restarts its member from its data dir, quorum is back and
 * no acknowledged key is lost.
 */
let w: EtcdWorld;

beforeAll(async () => {
  w = await startEtcdWorld({
    zone: "quorum",
    domains: ["az-1", "az-2", "az-3"],
    servers: [{ name: "ha3", replicas: 3, environments: [{ name: "prod", stage: "production" }] }],
  });
}, 60_000);

afterAll(async () => {
  await w?.close();
});

describe("quorum lost and restored", () => {
  it("two of three hosts killed: unavailable; one agent restarted: quorum back, no key lost", async () => {
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
    const rows = await memberRows(w.t.db, server);
    const victims = rows.slice(0, 2).map((r) => r.host!.name);
    const killedAt = Date.now();
    for (const name of victims) w.fleet.kill9(`agent:${name}`);

    await until("environment unavailable", async () => (await environmentStatus(w.t, prod.id)) === "unavailable", 60_000, 200);
    console.info(`two hosts lost -> status unavailable: ${Date.now() - killedAt} ms`);
    // Quorum is really gone: a write through the survivor does not commit.
    const survivor = environmentClient(await endpointsOf(w.t.db, server), prod.id, prod.credential);
    try {
      await expect(survivor.put(`${environmentPrefix(prod.id)}during-outage`).value("x")).rejects.toThrow();
    } finally {
      survivor.close();
    }
    // The lost members' rows are kept: the controller cannot (and must not) remove members without quorum.
    const lostRows = rows.slice(0, 2).map((r) => r.id);
    expect(await w.t.db.replica.count({ where: { id: { in: lostRows } } })).toBe(2);

    const restartedAt = Date.now();
    w.agent(Number(victims[0]!.replace("host-", "")));
    const status = await until(
      "environment available again",
      async () => {
        const s = await environmentStatus(w.t, prod.id);
        return (s === "degraded" || s === "running") && s;
      },
      90_000,
      200,
    );
    console.info(`one agent restarted -> status ${status}: ${Date.now() - restartedAt} ms`);
    expect((await votingMembers(w.t.db, server)).length).toBeGreaterThanOrEqual(2);
    const read = await readEnvironment(w.t, prod.id, prod.credential);
    for (const [key, value] of written) expect(read.get(key)).toBe(value);
    expect(read.has(`${environmentPrefix(prod.id)}during-outage`)).toBe(false);

    // Writes commit again (a client retries past the endpoint of the member still down).
    await until(
      "a write after recovery",
      async () => {
        const after = environmentClient(await endpointsOf(w.t.db, server), prod.id, prod.credential);
        try {
          await after.put(`${environmentPrefix(prod.id)}after-recovery`).value("ok");
          return true;
        } finally {
          after.close();
        }
      },
      30_000,
      300,
    );
    expect((await readEnvironment(w.t, prod.id, prod.credential)).get(`${environmentPrefix(prod.id)}after-recovery`)).toBe("ok");
    // No second member for an ordinal: etcd's list and the rows agree one to one.
    const { members, rows: rowsAfter } = await membersAndRows(w.t, server);
    const memberRowsAfter = rowsAfter.filter((r) => r.memberId);
    expect(members.map((m) => m.id).sort()).toEqual(memberRowsAfter.map((r) => r.memberId).sort());
    expect(new Set(memberRowsAfter.map((r) => r.ordinal)).size).toBe(memberRowsAfter.length);
  }, 300_000);
});
