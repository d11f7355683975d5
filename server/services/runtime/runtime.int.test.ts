import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/db";
import { createWorld, joinTokens, type World } from "../../testing/runtime-fixtures";
import { requestRuntimeJob } from "./jobs";
import { serveAgentApi } from "../../agent-api/http-server";
import { ProcessFleet, until } from "../../testing/process-fleet";

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
  return t.db.replica.findMany({
    where: { stateServerId },
    include: { host: { select: { name: true, failureDomain: true, state: true } } },
    orderBy: { ordinal: "asc" },
  });
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
  api = await serveAgentApi(t.db, 0);
  world = await createWorld(t.db, {
    zoneName: "rt",
    tenantSlug: "rt",
    servers: [
      {
        name: "ha3",
        replicas: 3,
        environments: [
          { name: "prod", stage: "production" },
          { name: "stage", stage: "staging" },
        ],
      },
      { name: "ha1", replicas: 1, environments: [{ name: "dev", stage: "development" }] },
    ],
  });
  fleet = new ProcessFleet(
    { DATABASE_URL: t.url, LOG_LEVEL: "warn", STATEHOUSE_RECONCILE_MS: "500" },
    process.env.RUNTIME_TEST_ECHO === "1",
  );
  const tokens = await joinTokens(t.db, world.zoneId, 6);
  tokens.forEach((token, i) =>
    fleet.agent(`host-${i}`, {
      controller: api.url,
      token,
      failureDomain: DOMAINS[i % 3]!,
      ports: `${41_300 + i * 50}-${41_349 + i * 50}`,
    }),
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
    const health = (await (await fetch(`http://127.0.0.1:${r.port}/healthz`)).json()) as {
      replicaId: string;
      environments: string[];
      peers: unknown[];
    };
    expect(health.replicaId).toBe(r.id);
    expect(health.environments.sort()).toEqual([prod!.id, stage!.id].sort());
    expect(health.peers).toHaveLength(2);

    const put = await envCall(r.port!, prod!.id, prod!.credential, "/kv/app%2Fcolor", {
      method: "PUT",
      body: JSON.stringify({ value: "blue" }),
    });
    expect(put).toMatchObject({ status: 200, body: { key: "app/color", value: "blue", revision: 1 } });
    expect(
      (
        await envCall(r.port!, prod!.id, prod!.credential, "/kv/app%2Fcolor", {
          method: "PUT",
          body: JSON.stringify({ value: "red", expectedRevision: 7 }),
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await envCall(r.port!, prod!.id, prod!.credential, "/kv/app%2Fcolor", {
          method: "PUT",
          body: JSON.stringify({ value: "red", expectedRevision: 1 }),
        })
      ).body.revision,
    ).toBe(2);
    await envCall(r.port!, stage!.id, stage!.credential, "/kv/app%2Fcolor", { method: "PUT", body: JSON.stringify({ value: "green" }) });

    // Same process, two environments: each credential sees only its own.
    expect((await envCall(r.port!, stage!.id, stage!.credential, "/kv/app%2Fcolor")).body.value).toBe("green");
    expect((await envCall(r.port!, prod!.id, prod!.credential, "/kv?prefix=app")).body.items).toEqual([
      { key: "app/color", value: "red", revision: 2 },
    ]);
    expect((await envCall(r.port!, prod!.id, stage!.credential, "/kv/app%2Fcolor")).status).toBe(403);
    expect((await envCall(r.port!, prod!.id, stage!.credential, "/kv?prefix=")).status).toBe(403);
    expect((await envCall(r.port!, prod!.id, "env_not-a-credential-at-all", "/status")).status).toBe(403);
    expect((await envCall(r.port!, dev!.id, dev!.credential, "/status")).status).toBe(404);
    expect((await envCall(r.port!, prod!.id, prod!.credential, "/status")).body).toMatchObject({
      id: prod!.id,
      name: "prod",
      status: "running",
      stateServerId: prod!.stateServerId,
      replica: { id: r.id, ordinal: r.ordinal },
    });
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

  it("a restarted agent adopts the replicas still running", async () => {
    const [prod] = world.environments;
    const r = (await runningOrdinals(prod!.stateServerId))[0]!;
    const name = r.host!.name;
    const before = await replicaRows(prod!.stateServerId);
    fleet.killProcessOnly(`agent:${name}`);
    await new Promise((res) => setTimeout(res, 1200));
    fleet.agent(name, { controller: api.url, failureDomain: r.host!.failureDomain, ports: "41900-41949" });
    await until("adopted agent heartbeats", async () => /adopted replica/.test(fleet.output(`agent:${name}`)), 10_000);
    await new Promise((res) => setTimeout(res, 1500));
    const after = await t.db.replica.findUniqueOrThrow({ where: { id: r.id } });
    expect(after).toMatchObject({ state: "running", pid: r.pid, port: r.port, hostId: r.hostId });
    expect((await t.db.host.findUniqueOrThrow({ where: { name } })).state).toBe("ready");
    expect((await replicaRows(prod!.stateServerId)).map((x) => x.id).sort()).toEqual(before.map((x) => x.id).sort());
  }, 20_000);

  it("drains a host through a pg-boss job, make-before-break, with progress", async () => {
    const [prod] = world.environments;
    const target = (await runningOrdinals(prod!.stateServerId))[0]!;
    const job = await t.db.$transaction((tx) =>
      requestRuntimeJob(tx, { kind: "drain_host", targetId: target.hostId!, actorLabel: "test" }),
    );
    let minRunning = 3;
    await until(
      "drain job succeeded",
      async () => {
        minRunning = Math.min(minRunning, new Set((await runningOrdinals(prod!.stateServerId)).map((r) => r.ordinal)).size);
        return (await t.db.runtimeJob.findUniqueOrThrow({ where: { id: job.id } })).state === "succeeded";
      },
      25_000,
      100,
    );
    expect(minRunning).toBe(3);
    expect(await t.db.runtimeJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      progress: 100,
      bossJobId: expect.any(String),
    });
    expect(await t.db.replica.count({ where: { hostId: target.hostId } })).toBe(0);
    expect((await t.db.host.findUniqueOrThrow({ where: { id: target.hostId! } })).state).toBe("draining");
  }, 30_000);

  it("kill -9 of the active controller during a reconcile: the standby takes over, no replica duplicated or orphaned", async () => {
    const leader = ["c1", "c2"].find((c) => /became leader/.test(fleet.output(`controller:${c}`)))!;
    const standby = leader === "c1" ? "c2" : "c1";
    const ha1 = world.servers[1]!;
    await t.db.stateServer.update({ where: { id: ha1.id }, data: { replicas: 3 } });
    await new Promise((res) => setTimeout(res, 150));
    fleet.kill9(`controller:${leader}`);
    await until("standby leads", async () => /became leader/.test(fleet.output(`controller:${standby}`)), 10_000);
    await until("ha1 at 3 replicas", async () => new Set((await runningOrdinals(ha1.id)).map((r) => r.ordinal)).size === 3, 20_000);
    await new Promise((res) => setTimeout(res, 1500));
    const rows = await t.db.replica.findMany({
      where: { state: { not: "stopping" } },
      select: { id: true, stateServerId: true, ordinal: true },
    });
    const perOrdinal = new Set(rows.map((r) => `${r.stateServerId}#${r.ordinal}`));
    expect(perOrdinal.size).toBe(rows.length);
    expect(rows.length).toBe(6);
    // Every replica process listening on the agents' ports has a row, and no row has two processes.
    const ports = Array.from({ length: 700 }, (_, i) => 41_300 + i);
    const seen = (
      await Promise.all(
        ports.map((p) =>
          fetch(`http://127.0.0.1:${p}/healthz`, { signal: AbortSignal.timeout(3000) })
            .then(async (res) => ((await res.json()) as { replicaId: string }).replicaId)
            .catch(() => null),
        ),
      )
    ).filter((x): x is string => x !== null);
    expect(seen.sort()).toEqual(rows.map((r) => r.id).sort());
  }, 40_000);

  it("killing a whole failure domain keeps HA-3 environments spread across 3 domains available", async () => {
    // Fresh capacity and a fresh HA-3 server, so the server is spread across three domains.
    const tokens = await joinTokens(t.db, world.zoneId, 3);
    const fresh = [
      ["az-4", "41950-41999"],
      ["az-4", "42000-42049"],
      ["az-1", "42050-42099"],
    ] as const;
    fresh.forEach(([fd, ports], i) => fleet.agent(`fresh-${i}`, { controller: api.url, token: tokens[i]!, failureDomain: fd, ports }));
    await until("fresh hosts joined", async () => (await t.db.host.count({ where: { name: { startsWith: "fresh-" } } })) === 3, 15_000);
    const extra = await createWorld(t.db, {
      zoneName: "rt",
      tenantSlug: "rt",
      servers: [{ name: "spread3", replicas: 3, environments: [{ name: "spread", stage: "production" }] }],
    });
    const env = extra.environments[0]!;
    const running = await until(
      "spread3 running",
      async () => {
        const r = await runningOrdinals(env.stateServerId);
        return r.length === 3 && r;
      },
      20_000,
    );
    expect(new Set(running.map((r) => r.host!.failureDomain)).size).toBe(3);
    await envCall(running[0]!.port!, env.id, env.credential, "/kv/k1", { method: "PUT", body: JSON.stringify({ value: "v1" }) });
    const domain = running[0]!.host!.failureDomain;
    const hosts = await t.db.host.findMany({ where: { failureDomain: domain, state: { not: "down" } }, select: { name: true } });
    for (const h of hosts) fleet.kill9(`agent:${h.name}`);
    const survivors = running.filter((r) => r.host!.failureDomain !== domain);
    const statuses = new Set<string>();
    const deadline = Date.now() + 6000;
    while (Date.now() < deadline) {
      statuses.add((await t.db.environment.findUniqueOrThrow({ where: { id: env.id } })).status);
      for (const s of survivors) expect((await envCall(s.port!, env.id, env.credential, "/kv/k1")).body.value).toBe("v1");
      await new Promise((res) => setTimeout(res, 200));
    }
    expect(statuses.has("unavailable")).toBe(false);
    expect((await t.db.host.findMany({ where: { failureDomain: domain } })).every((h) => h.state === "down")).toBe(true);
    expect(new Set((await runningOrdinals(env.stateServerId)).map((r) => r.ordinal)).size).toBeGreaterThanOrEqual(2);
  }, 40_000);
});
