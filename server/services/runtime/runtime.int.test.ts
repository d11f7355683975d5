import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/db";
import { createWorld, joinTokens, type World } from "./fixtures";
import { serveAgentApi } from "./http-server";
import { ProcessFleet, until } from "./test-fleet";

/**
 * The vertical slice with real processes: agents join and heartbeat, the
 * controller places replicas, agents start state-server processes, the
 * environment API serves, and losing a host (kill -9 of the agent and its
 * replicas) is survived: replicas run elsewhere within 10 s, quorum holds,
 * no key-value state is lost.
 */
let t: TestDatabase;
let fleet: ProcessFleet;
let world: World;
let api: Awaited<ReturnType<typeof serveAgentApi>>;
const DOMAINS = ["az-1", "az-2", "az-3"];

async function replicaRows(stateServerId: string) {
  return t.db.replica.findMany({ where: { stateServerId }, include: { host: { select: { name: true, failureDomain: true, state: true } } }, orderBy: { ordinal: "asc" } });
}

async function runningOrdinals(stateServerId: string) {
  const rows = await replicaRows(stateServerId);
  return rows.filter((r) => r.state === "running" && r.host?.state !== "down");
}

async function envCall(port: number, envId: string, credential: string, path: string, init: RequestInit = {}) {
  const res = await fetch(`http://127.0.0.1:${port}/v1/environments/${envId}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${credential}`, "content-type": "application/json" },
    signal: AbortSignal.timeout(3000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  t = await createTestDatabase();
  api = await serveAgentApi(t.db, 41_210);
  world = await createWorld(t.db, {
    zoneName: "rt",
    tenantSlug: "rt",
    servers: [
      { name: "ha3", replicas: 3, environments: [{ name: "prod", stage: "production" }, { name: "stage", stage: "staging" }] },
      { name: "ha1", replicas: 1, environments: [{ name: "dev", stage: "development" }] },
    ],
  });
  fleet = new ProcessFleet({ DATABASE_URL: t.url, LOG_LEVEL: "warn", STATEHOUSE_RECONCILE_MS: "500" }, process.env.RUNTIME_TEST_ECHO === "1");
  const tokens = await joinTokens(t.db, world.zoneId, 6);
  tokens.forEach((token, i) =>
    fleet.agent(`host-${i}`, { controller: api.url, token, failureDomain: DOMAINS[i % 3]!, ports: `${41_300 + i * 50}-${41_349 + i * 50}` }),
  );
  fleet.controller("c1");
  fleet.controller("c2");
}, 60_000);

afterAll(async () => {
  fleet?.killAll();
  await new Promise<void>((r) => api?.close(() => r()));
  await t?.drop();
});

describe("runtime with real processes", () => {
  it("agents join, the controller places every replica and the agents start them", async () => {
    await until("hosts joined", async () => (await t.db.host.count()) === 6, 20_000);
    for (const s of world.servers) {
      await until(`${s.name} running`, async () => (await runningOrdinals(s.id)).length === s.replicas, 30_000);
    }
    const ha3 = await runningOrdinals(world.servers[0]!.id);
    expect(new Set(ha3.map((r) => r.host!.failureDomain)).size).toBe(3);
    await until("environments running", async () => (await t.db.environment.count({ where: { status: "running" } })) === 3, 10_000);
  }, 60_000);

  it("a replica serves /healthz and the environment API, isolated per environment credential", async () => {
    const [prod, stage, dev] = world.environments;
    const r = (await runningOrdinals(prod!.stateServerId))[0]!;
    const health = (await (await fetch(`http://127.0.0.1:${r.port}/healthz`)).json()) as { replicaId: string; environments: string[]; peers: unknown[] };
    expect(health.replicaId).toBe(r.id);
    expect(health.environments.sort()).toEqual([prod!.id, stage!.id].sort());
    expect(health.peers).toHaveLength(2);

    const put = await envCall(r.port!, prod!.id, prod!.credential, "/kv/app%2Fcolor", { method: "PUT", body: JSON.stringify({ value: "blue" }) });
    expect(put).toMatchObject({ status: 200, body: { key: "app/color", value: "blue", revision: 1 } });
    expect((await envCall(r.port!, prod!.id, prod!.credential, "/kv/app%2Fcolor", { method: "PUT", body: JSON.stringify({ value: "red", expectedRevision: 7 }) })).status).toBe(409);
    expect((await envCall(r.port!, prod!.id, prod!.credential, "/kv/app%2Fcolor", { method: "PUT", body: JSON.stringify({ value: "red", expectedRevision: 1 }) })).body.revision).toBe(2);
    await envCall(r.port!, stage!.id, stage!.credential, "/kv/app%2Fcolor", { method: "PUT", body: JSON.stringify({ value: "green" }) });

    // Same process, two environments: each credential sees only its own.
    expect((await envCall(r.port!, stage!.id, stage!.credential, "/kv/app%2Fcolor")).body.value).toBe("green");
    expect((await envCall(r.port!, prod!.id, prod!.credential, "/kv?prefix=app")).body.items).toEqual([{ key: "app/color", value: "red", revision: 2 }]);
    expect((await envCall(r.port!, prod!.id, stage!.credential, "/kv/app%2Fcolor")).status).toBe(403);
    expect((await envCall(r.port!, prod!.id, stage!.credential, "/kv?prefix=")).status).toBe(403);
    expect((await envCall(r.port!, prod!.id, "env_not-a-credential-at-all", "/status")).status).toBe(403);
    expect((await envCall(r.port!, dev!.id, dev!.credential, "/status")).status).toBe(404);
    expect((await envCall(r.port!, prod!.id, prod!.credential, "/status")).body).toMatchObject({ id: prod!.id, name: "prod", status: "running", stateServerId: prod!.stateServerId, replica: { id: r.id, ordinal: r.ordinal } });
  }, 30_000);

  it("kill -9 of an agent and its replicas: replicas run elsewhere within 10 s, quorum holds, state survives", async () => {
    const [prod] = world.environments;
    const victim = (await runningOrdinals(prod!.stateServerId))[0]!;
    const victimHost = victim.host!.name;
    const before = await runningOrdinals(prod!.stateServerId);
    const other = before.find((r) => r.host!.name !== victimHost)!;
    for (let i = 0; i < 20; i++) {
      await envCall(other.port!, prod!.id, prod!.credential, `/kv/k${i}`, { method: "PUT", body: JSON.stringify({ value: `v${i}` }) });
    }
    const killedAt = Date.now();
    fleet.kill9(`agent:${victimHost}`);
    let minQuorum = 3;
    const elapsed = await until(
      "replicas re-placed and running",
      async () => {
        const running = await runningOrdinals(prod!.stateServerId);
        const live = running.filter((r) => r.host!.name !== victimHost);
        minQuorum = Math.min(minQuorum, live.length);
        const ok = new Set(live.map((r) => r.ordinal)).size === 3;
        return ok && Date.now() - killedAt;
      },
      15_000,
      100,
    );
    expect(elapsed).toBeLessThanOrEqual(10_000);
    expect(minQuorum).toBeGreaterThanOrEqual(2);
    const host = await t.db.host.findUniqueOrThrow({ where: { name: victimHost } });
    expect(host.state).toBe("down");
    expect(await t.db.auditEvent.count({ where: { action: "host.down", targetId: host.id } })).toBe(1);
    const replacement = (await runningOrdinals(prod!.stateServerId)).find((r) => r.ordinal === victim.ordinal)!;
    const list = await envCall(replacement.port!, prod!.id, prod!.credential, "/kv?prefix=k");
    expect((list.body.items as unknown[]).length).toBe(20);
    const rows = await replicaRows(prod!.stateServerId);
    expect(rows.filter((r) => r.state !== "stopping")).toHaveLength(3);
  }, 30_000);
});
