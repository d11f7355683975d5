import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/db";
import { handleHeartbeat, handleJoin } from "../../agent-api/handlers";
import { createWorld, joinTokens, type World } from "../../testing/runtime-fixtures";
import { createJoinToken } from "./join-tokens";

/** The agent protocol's edges: bad, replayed and foreign requests are rejected, audited, and change nothing. */
let t: TestDatabase;
let world: World;

const post = (handler: typeof handleJoin, body: unknown, credential?: string) =>
  handler(
    t.db,
    new Request("http://app/api/agent", {
      method: "POST",
      headers: { "content-type": "application/json", ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
const joinBody = (token: string, name: string) => ({ joinToken: token, name, failureDomain: "az-1", cpuMillis: 4000, memoryMiB: 8192 });
const beat = { cpuMillis: 4000, memoryMiB: 8192, replicas: [] as unknown[] };
/** What an agent reports for a voting member that sees a leader (a row turns `running` only with this). */
const MEMBER_HEALTH = { memberId: "1", leaderId: "1", raftTerm: 2, raftIndex: 10, isLearner: false, dbSizeBytes: 20480, alarms: [] };

async function snapshot() {
  const [hosts, replicas] = await Promise.all([
    t.db.host.findMany({ select: { id: true, state: true, cpuMillis: true }, orderBy: { id: "asc" } }),
    t.db.replica.findMany({ select: { id: true, state: true, hostId: true, port: true }, orderBy: { id: "asc" } }),
  ]);
  return { hosts, replicas };
}

beforeAll(async () => {
  t = await createTestDatabase();
  world = await createWorld(t.db, {
    zoneName: "api",
    tenantSlug: "api",
    servers: [{ name: "s1", replicas: 1, environments: [{ name: "pool", stage: "production", isHostPool: true }] }],
  });
});
afterAll(async () => t?.drop());

describe("agent endpoints", () => {
  let a: { hostId: string; credential: string };
  let b: { hostId: string; credential: string };
  let token: string;

  it("exchanges a one-time join token for a host credential, and refuses its replay", async () => {
    token = (await joinTokens(t.db, world.zoneId, 1))[0]!;
    const res = await post(handleJoin, joinBody(token!, "host-a"));
    expect(res.status).toBe(200);
    a = (await res.json()) as typeof a;
    expect(a.credential).toMatch(/^host_/);
    const host = await t.db.host.findUniqueOrThrow({ where: { id: a.hostId } });
    expect(host.credentialHash).not.toContain(a.credential);
    // An agent that names no port range offers ports below the kernel's ephemeral range, which outgoing connections take.
    expect(host).toMatchObject({ portFrom: 20_000, portTo: 23_999 });
    expect(host.portTo).toBeLessThan(Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]));
    const replay = await post(handleJoin, joinBody(token!, "host-a2"));
    expect(replay.status).toBe(401);
    expect(await t.db.host.count()).toBe(1);
    expect(await t.db.auditEvent.count({ where: { action: "host.join.rejected" } })).toBe(1);
    const [other] = await joinTokens(t.db, world.zoneId, 1);
    b = (await (await post(handleJoin, joinBody(other!, "host-b"))).json()) as typeof b;
  });

  it("refuses a bad or revoked credential with 401, audited, with no state change", async () => {
    const before = await snapshot();
    expect((await post(handleHeartbeat, beat, "host_not-a-real-credential")).status).toBe(401);
    expect((await post(handleHeartbeat, beat)).status).toBe(401);
    await t.db.host.update({ where: { id: b.hostId }, data: { credentialRevokedAt: new Date() } });
    expect((await post(handleHeartbeat, { ...beat, cpuMillis: 9000 }, b.credential)).status).toBe(401);
    await t.db.host.update({ where: { id: b.hostId }, data: { credentialRevokedAt: null } });
    expect(await snapshot()).toEqual(before);
    expect(await t.db.auditEvent.count({ where: { action: "host.heartbeat.rejected" } })).toBe(3);
  });

  it("rejects a malformed heartbeat with 400, audited, with no state change", async () => {
    const before = await snapshot();
    for (const bad of [
      "{not json",
      { cpuMillis: "lots" },
      { ...beat, replicas: [{ id: "x", state: "exploded" }] },
      { ...beat, extra: 1 },
    ]) {
      expect((await post(handleHeartbeat, bad, a.credential)).status).toBe(400);
    }
    expect(await snapshot()).toEqual(before);
    expect(await t.db.auditEvent.count({ where: { action: "host.heartbeat.rejected", actorId: a.hostId } })).toBe(4);
  });

  it("rejects a host reporting another host's replicas with 403, audited, with no state change", async () => {
    const replica = await t.db.replica.create({
      // Ports allocated, as the controller does before an agent is told to start a member.
      data: { stateServerId: world.servers[0]!.id, ordinal: 0, hostId: b.hostId, state: "scheduled", port: 41_999, peerPort: 41_997 },
    });
    const before = await snapshot();
    const res = await post(
      handleHeartbeat,
      {
        ...beat,
        cpuMillis: 5000,
        replicas: [{ id: replica.id, state: "running", clientPort: 41_999, peerPort: 41_997, health: MEMBER_HEALTH }],
      },
      a.credential,
    );
    expect(res.status).toBe(403);
    expect(await snapshot()).toEqual(before);
    expect(
      await t.db.auditEvent.count({ where: { action: "host.heartbeat.rejected", actorId: a.hostId, reason: { startsWith: "FORBIDDEN" } } }),
    ).toBe(1);
    // Its own host may report it, and receives it as desired.
    const own = await post(
      handleHeartbeat,
      { ...beat, replicas: [{ id: replica.id, state: "running", clientPort: 41_999, peerPort: 41_997, health: MEMBER_HEALTH }] },
      b.credential,
    );
    expect(own.status).toBe(200);
    expect(((await own.json()) as { desired: { id: string }[] }).desired.map((d) => d.id)).toEqual([replica.id]);
    expect((await t.db.replica.findUniqueOrThrow({ where: { id: replica.id } })).state).toBe("running");
  });

  it("a steady heartbeat is one UPDATE; a change of the host's replicas (its replicaVersion) is answered at once", async () => {
    const [tok] = await joinTokens(t.db, world.zoneId, 1);
    const c = (await (await post(handleJoin, joinBody(tok!, "host-c"))).json()) as typeof a;
    const pool = new pg.Pool({ connectionString: t.url, max: 2 });
    const statements: string[] = [];
    const query = pool.query.bind(pool);
    pool.query = ((text: string, values: unknown[]) => {
      statements.push(text.trim().split(/\s+/)[0]!);
      return query(text, values);
    }) as typeof pool.query;
    const heartbeat = async (replicas: unknown[] = []) => {
      statements.length = 0;
      const res = await handleHeartbeat(
        t.db,
        new Request("http://app/api/agent/heartbeat", {
          method: "POST",
          headers: { authorization: `Bearer ${c.credential}` },
          body: JSON.stringify({ ...beat, replicas }),
        }),
        pool,
      );
      expect(res.status).toBe(200);
      return { ...((await res.json()) as { host: { state: string }; desired: { id: string }[] }), statements: [...statements] };
    };
    try {
      expect((await heartbeat()).statements).toEqual(["SELECT", "UPDATE"]);
      expect(await heartbeat()).toMatchObject({ statements: ["UPDATE"], desired: [], host: { state: "ready" } });

      // The controller places a replica on the host: the trigger bumps the version, the next beat sees it.
      const replica = await t.db.replica.create({
        data: { stateServerId: world.servers[0]!.id, ordinal: 0, hostId: c.hostId, state: "scheduled", port: 41_998, peerPort: 41_996 },
      });
      expect((await t.db.host.findUniqueOrThrow({ where: { id: c.hostId } })).replicaVersion).toBe(1n);
      expect((await heartbeat()).desired.map((d) => d.id)).toEqual([replica.id]);
      const running = [{ id: replica.id, state: "running", clientPort: 41_998, peerPort: 41_996, health: MEMBER_HEALTH }];
      await heartbeat(running); // records the transition (full path)
      await heartbeat(running); // unchanged since: snapshot + UPDATE, remembered
      expect(await heartbeat(running)).toMatchObject({ statements: ["UPDATE"], desired: [{ id: replica.id }] });
      expect((await t.db.replica.findUniqueOrThrow({ where: { id: replica.id } })).state).toBe("running");

      // Cordon (host state) is answered by the steady UPDATE itself; stopping (a replica change) is not served stale.
      await t.db.host.update({ where: { id: c.hostId }, data: { state: "cordoned" } });
      expect(await heartbeat(running)).toMatchObject({ statements: ["UPDATE"], host: { state: "cordoned" } });
      await t.db.replica.update({ where: { id: replica.id }, data: { state: "stopping" } });
      expect((await heartbeat(running)).desired).toEqual([]);
      // Revoked while remembered: 401, nothing written.
      await t.db.host.update({ where: { id: c.hostId }, data: { credentialRevokedAt: new Date() } });
      const seen = (await t.db.host.findUniqueOrThrow({ where: { id: c.hostId } })).lastHeartbeatAt;
      const res = await handleHeartbeat(
        t.db,
        new Request("http://app/api/agent/heartbeat", {
          method: "POST",
          headers: { authorization: `Bearer ${c.credential}` },
          body: JSON.stringify(beat),
        }),
        pool,
      );
      expect(res.status).toBe(401);
      expect((await t.db.host.findUniqueOrThrow({ where: { id: c.hostId } })).lastHeartbeatAt).toEqual(seen);
    } finally {
      await pool.end();
    }
  });

  it("a flood of unauthenticated rejections does not flood the audit log", async () => {
    const before = await t.db.auditEvent.count({ where: { action: "host.heartbeat.rejected" } });
    const flood = (address: string) =>
      handleHeartbeat(
        t.db,
        new Request("http://app/api/agent/heartbeat", {
          method: "POST",
          headers: { authorization: "Bearer host_guess", "x-forwarded-for": address },
          body: JSON.stringify(beat),
        }),
      );
    for (let i = 0; i < 100; i++) expect((await flood("203.0.113.7")).status).toBe(401);
    expect(await t.db.auditEvent.count({ where: { action: "host.heartbeat.rejected" } })).toBe(before + 5);
    // Rotating the address header does not get around it: one global allowance for unauthenticated callers.
    for (let i = 0; i < 200; i++) expect((await flood(`198.51.100.${i}`)).status).toBe(401);
    expect(await t.db.auditEvent.count({ where: { action: "host.heartbeat.rejected" } })).toBeLessThanOrEqual(before + 50);
  });

  it("rate-limits a host's requests", async () => {
    const codes = [];
    for (let i = 0; i < 30; i++) codes.push((await post(handleHeartbeat, beat, a.credential)).status);
    expect(codes).toContain(429);
  });

  it("an environment join token makes the host a machine of that environment (hosted mode)", async () => {
    const env = world.environments[0]!;
    const { token: envToken } = await t.db.$transaction((tx) =>
      createJoinToken(tx, { zoneId: world.zoneId, environmentId: env.id, ttl: 600 }),
    );
    const res = await post(handleJoin, {
      environmentToken: envToken,
      name: "pool-1",
      failureDomain: "az-2",
      cpuMillis: 2000,
      memoryMiB: 4096,
    });
    expect(res.status).toBe(200);
    const { hostId } = (await res.json()) as { hostId: string };
    expect((await t.db.host.findUniqueOrThrow({ where: { id: hostId } })).environmentId).toBe(env.id);
  });

  it("refuses an expired join token and a zone mismatch", async () => {
    const expired = await t.db.$transaction((tx) => createJoinToken(tx, { zoneId: world.zoneId, ttl: 60 }));
    await t.db.hostJoinToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await post(handleJoin, joinBody(expired.token, "late"))).status).toBe(401);
    const [fresh] = await joinTokens(t.db, world.zoneId, 1);
    expect((await post(handleJoin, { ...joinBody(fresh!, "wrongzone"), zone: "elsewhere" })).status).toBe(400);
    expect(await t.db.host.count({ where: { name: { in: ["late", "wrongzone"] } } })).toBe(0);
  });
});
