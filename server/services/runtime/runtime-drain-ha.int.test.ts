import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saturateCores } from "../../testing/cpu-load";
import { until } from "../../testing/process-fleet";
import { endpointsOf, environmentClient, memberRows, untilRunning, votingMembers } from "../../testing/etcd-fleet";
import { membersAndRows, readEnvironment, startEtcdWorld, writeKeys, type EtcdWorld } from "../../testing/etcd-world";
import { requestRuntimeJob } from "./jobs";

/**
 * HA changes (1 -> 3 -> 5 -> 3), a host drain, and a host killed in the middle
 * of a drain on a real etcd cluster, each through its runtime job: make-before-break (the voting count never drops
 * below what the change must keep), one member per ordinal, the rows and
 * etcd's member list in agreement, and every key still there.
 */
let w: EtcdWorld;
let written = new Map<string, string>();

beforeAll(async () => {
  w = await startEtcdWorld({
    zone: "drainha",
    domains: ["az-1", "az-2", "az-3", "az-4", "az-5", "az-6"],
    servers: [{ name: "grow", replicas: 1, environments: [{ name: "prod", stage: "production" }] }],
  });
}, 60_000);

afterAll(async () => {
  await w?.close();
});

const prod = () => w.world.environments[0]!;

/** Runs a job to success while sampling the voting members; returns the fewest seen. */
async function runJob(kind: "change_ha" | "drain_host", targetId: string, params?: Record<string, number>) {
  const job = await w.t.db.$transaction((tx) =>
    requestRuntimeJob(tx, { kind, targetId, params, actorLabel: "test" } as Parameters<typeof requestRuntimeJob>[1]),
  );
  let fewest = Number.MAX_SAFE_INTEGER;
  const startedAt = Date.now();
  await until(
    `${kind} job succeeded`,
    async () => {
      fewest = Math.min(fewest, (await votingMembers(w.t.db, prod().stateServerId)).length);
      const row = await w.t.db.runtimeJob.findUniqueOrThrow({ where: { id: job.id } });
      if (row.state === "failed") throw new Error(`job failed: ${row.error}`);
      return row.state === "succeeded";
    },
    240_000,
    100,
  );
  console.info(`${kind} ${JSON.stringify(params ?? {})}: ${Date.now() - startedAt} ms`);
  return fewest;
}

async function expectConsistent(voting: number) {
  const server = prod().stateServerId;
  await until("voting members at the target", async () => (await votingMembers(w.t.db, server)).length === voting, 60_000);
  const { members, rows } = await membersAndRows(w.t, server);
  expect(members.filter((m) => !m.isLearner)).toHaveLength(voting);
  expect(members.map((m) => m.id).sort()).toEqual(rows.map((r) => r.memberId).sort());
  expect(new Set(rows.map((r) => r.ordinal)).size).toBe(rows.length);
  const read = await readEnvironment(w.t, prod().id, prod().credential);
  for (const [key, value] of written) expect(read.get(key)).toBe(value);
}

describe("HA change and drain, make-before-break, with data", () => {
  it("HA 1 -> 3 -> 5 -> 3 through change_ha jobs, every key intact at each step", async () => {
    await untilRunning(w.t.db, prod().id, 120_000);
    const client = environmentClient(await endpointsOf(w.t.db, prod().stateServerId), prod().id, prod().credential);
    try {
      written = await writeKeys(client, prod().id, "k", 200);
    } finally {
      client.close();
    }
    expect(await runJob("change_ha", prod().stateServerId, { replicas: 3 })).toBeGreaterThanOrEqual(1);
    await expectConsistent(3);
    expect(await runJob("change_ha", prod().stateServerId, { replicas: 5 })).toBeGreaterThanOrEqual(3);
    await expectConsistent(5);
    expect(await runJob("change_ha", prod().stateServerId, { replicas: 3 })).toBeGreaterThanOrEqual(3);
    await expectConsistent(3);
  }, 600_000);

  it("drain_host: the member moves to another host (learner first), never fewer than 3 voting members", async () => {
    const server = prod().stateServerId;
    const target = (await memberRows(w.t.db, server)).find((r) => !r.isLeader)!;
    const lastEvent = (await w.t.db.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } }))?.id ?? 0n;
    const fewest = await runJob("drain_host", target.host!.id);
    // Make-before-break: the replacement joins (learner, promoted) before the drained member is removed.
    const changes = (
      await w.t.db.auditEvent.findMany({
        where: { targetId: server, action: { startsWith: "state_server.member_" }, id: { gt: lastEvent } },
        orderBy: { id: "asc" },
        select: { action: true },
      })
    ).map((e) => e.action.replace("state_server.member_", ""));
    expect(changes.slice(0, 3)).toEqual(["add_learner", "promote", "remove"]);
    expect(fewest).toBeGreaterThanOrEqual(3);
    expect(await w.t.db.replica.count({ where: { hostId: target.host!.id } })).toBe(0);
    expect((await w.t.db.host.findUniqueOrThrow({ where: { id: target.host!.id } })).state).toBe("draining");
    await expectConsistent(3);
    const { members } = await membersAndRows(w.t, server);
    expect(members.some((m) => m.id === target.memberId)).toBe(false);
  }, 300_000);

  it("kill -9 of another member's host in the middle of a drain, every core busy: the drain ends, 3 voting members, every key intact", async () => {
    const server = prod().stateServerId;
    const client = environmentClient(await endpointsOf(w.t.db, server), prod().id, prod().credential);
    try {
      for (const [key, value] of await writeKeys(client, prod().id, "before-kill", 200)) written.set(key, value);
    } finally {
      client.close();
    }
    const before = await memberRows(w.t.db, server);
    const drained = before.find((r) => !r.isLeader)!;
    const victim = before.find((r) => !r.isLeader && r.id !== drained.id)!;
    const since = (await w.t.db.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } }))?.id ?? 0n;
    const job = await w.t.db.$transaction((tx) =>
      requestRuntimeJob(tx, { kind: "drain_host", targetId: drained.host!.id, actorLabel: "test" } as Parameters<
        typeof requestRuntimeJob
      >[1]),
    );
    // The move has begun once the replacement is a member (learner or promoted): then the other host dies.
    await until(
      "the drain's replacement added",
      async () =>
        (await w.t.db.auditEvent.count({ where: { targetId: server, action: "state_server.member_add_learner", id: { gt: since } } })) > 0,
      120_000,
      100,
    );
    const load = saturateCores();
    let minVoting = Number.MAX_SAFE_INTEGER;
    try {
      w.fleet.kill9(`agent:${victim.host!.name}`);
      await until(
        "the drain done and 3 voting members on neither lost nor drained host",
        async () => {
          const voting = await votingMembers(w.t.db, server);
          minVoting = Math.min(minVoting, voting.length);
          const row = await w.t.db.runtimeJob.findUniqueOrThrow({ where: { id: job.id } });
          if (row.state === "failed") throw new Error(`drain failed: ${row.error}`);
          const away = voting.filter((r) => r.host!.id !== drained.host!.id && r.host!.name !== victim.host!.name);
          return row.state === "succeeded" && voting.length === 3 && away.length === 3;
        },
        240_000,
        100,
      );
    } finally {
      load.stop();
    }
    // Quorum held throughout: never fewer than 2 of the voting members counted.
    expect(minVoting).toBeGreaterThanOrEqual(2);
    const { members, rows } = await membersAndRows(w.t, server);
    expect(members.filter((m) => !m.isLearner)).toHaveLength(3);
    expect(members.map((m) => m.id).sort()).toEqual(rows.map((r) => r.memberId).sort());
    expect(members.some((m) => m.id === drained.memberId || m.id === victim.memberId)).toBe(false);
    const read = await readEnvironment(w.t, prod().id, prod().credential);
    expect(written.size).toBe(400);
    for (const [key, value] of written) expect(read.get(key)).toBe(value);
  }, 360_000);
});
