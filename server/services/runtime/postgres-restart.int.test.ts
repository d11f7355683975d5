import { execFileSync } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type Db } from "../../db/client";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../db/embedded";
import { ensureDatabase, migrate } from "../../db/migrate";
import { createWorld, joinTokens, type World } from "../../testing/runtime-fixtures";
import { serveAgentApi } from "../../agent-api/http-server";
import { requestRuntimeJob } from "./jobs";
import { PROJECT_DIR, ProcessFleet, until } from "../../testing/process-fleet";

/**
 * Restart Postgres under load. A DEDICATED embedded Postgres (its own port and
 * data directory: the machine's Postgres on 5432 serves the other tests) backs
 * the agent API (the app's handlers, Prisma + the hot pg pool), four real
 * agents with their replica processes, two real controllers and a client
 * writing key-value state through a replica. Postgres stops for a few seconds
 * and starts again; no process is restarted, and everything recovers:
 * heartbeats, reconcile passes, durable jobs, KV writes; no host is marked down, no replica
 * is duplicated or moved.
 */
/** A port free now (the OS picks it), so two runs on one machine never meet each other's Postgres. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
const PG_PORT = await freePort();
const API_PORT = await freePort();
const DATA = path.join(PROJECT_DIR, ".data", "test-restart");

let pgServer: EmbeddedDatabase;
let url: string;
let db: Db;
let hot: pg.Pool;
let api: Awaited<ReturnType<typeof serveAgentApi>>;
let fleet: ProcessFleet;
let world: World;

const start = () => startEmbeddedPostgres({ projectDir: DATA, port: PG_PORT, database: "statehouse_restart", log: () => undefined });

/** Replica processes of a state server, counted from the process table (not from the database). */
function replicaProcesses(stateServerId: string): number {
  try {
    return Number(execFileSync("pgrep", ["-fc", `stateserver/main.ts .*--state-server ${stateServerId}`], { encoding: "utf8" }).trim());
  } catch {
    return 0; // pgrep exits 1 when nothing matches
  }
}

async function running(stateServerId: string) {
  return db.replica.findMany({
    where: { stateServerId, state: "running", host: { state: "ready" } },
    select: { id: true, ordinal: true, hostId: true, port: true },
  });
}

async function put(port: number, key: string, value: string) {
  const env = world.environments[0]!;
  const res = await fetch(`http://127.0.0.1:${port}/v1/environments/${env.id}/kv/${key}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${env.credential}`, "content-type": "application/json" },
    body: JSON.stringify({ value }),
    signal: AbortSignal.timeout(2000),
  });
  return res.status;
}

beforeAll(async () => {
  pgServer = await start();
  url = pgServer.url;
  // A fresh database each run (a previous run may have left one behind).
  const admin = new pg.Client({ connectionString: url.replace(/\/statehouse_restart$/, "/postgres") });
  await admin.connect();
  await admin.query("DROP DATABASE IF EXISTS statehouse_restart WITH (FORCE)");
  await admin.end();
  await ensureDatabase(url);
  await migrate(url);
  db = createPrismaClient(url, 10);
  hot = new pg.Pool({ connectionString: url, max: 4 });
  hot.on("error", () => undefined);
  api = await serveAgentApi(db, API_PORT, "127.0.0.1", hot);
  world = await createWorld(db, {
    zoneName: "pgr",
    tenantSlug: "pgr",
    servers: [{ name: "pgr-ha3", replicas: 3, environments: [{ name: "prod", stage: "production" }] }],
  });
  fleet = new ProcessFleet({ DATABASE_URL: url, LOG_LEVEL: "warn", STATEHOUSE_RECONCILE_MS: "500" }, process.env.RUNTIME_TEST_ECHO === "1");
  const tokens = await joinTokens(db, world.zoneId, 4);
  tokens.forEach((token, i) =>
    fleet.agent(`pgr-${i}`, {
      controller: api.url,
      token,
      failureDomain: `az-${(i % 3) + 1}`,
      ports: `${41_500 + i * 20}-${41_519 + i * 20}`,
    }),
  );
  fleet.controller("pgr-c1");
  fleet.controller("pgr-c2");
  await until("replicas running", async () => (await running(world.servers[0]!.id)).length === 3, 30_000);
}, 50_000);

afterAll(async () => {
  fleet?.killAll();
  await new Promise<void>((r) => (api ? api.close(() => r()) : r()));
  await hot?.end().catch(() => undefined);
  await db?.$disconnect().catch(() => undefined);
  await pgServer?.stop();
}, 20_000);

describe("restart Postgres under load", () => {
  it("the app, agents, controllers and replicas recover without a restart", async () => {
    const server = world.servers[0]!;
    const before = (await running(server.id)).sort((a, b) => a.ordinal - b.ordinal);
    const hostsBefore = await db.host.findMany({ select: { id: true, lastHeartbeatAt: true } });
    const pids = [...fleet.procs.values()].map((p) => p.child.pid);

    // Load: a client writes through a replica every 100 ms for the whole test.
    const writes: { at: number; status: number }[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const status = await put(before[0]!.port!, "counter", String(i)).catch(() => 0);
        writes.push({ at: Date.now(), status });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await new Promise((r) => setTimeout(r, 1000));

    await pgServer.stop();
    const stoppedAt = Date.now();
    await new Promise((r) => setTimeout(r, 4000));
    pgServer = await start();
    const restartedAt = Date.now();

    // Heartbeats succeed again (the app's pools reconnect by themselves).
    await until(
      "every host heartbeating again",
      async () => (await db.host.findMany({ select: { lastHeartbeatAt: true } })).every((h) => h.lastHeartbeatAt!.getTime() > restartedAt),
      15_000,
    );
    // KV writes through the same replica process succeed again.
    await until("a KV write after the restart", async () => writes.some((w) => w.at > restartedAt && w.status === 200), 15_000);
    expect(writes.some((w) => w.at > stoppedAt && w.at < restartedAt && w.status !== 200)).toBe(true);

    // The controllers reconcile again: a new state server gets placed and started.
    const added = await createWorld(db, {
      zoneName: "pgr",
      tenantSlug: "pgr",
      servers: [{ name: "pgr-after", replicas: 1, environments: [{ name: "after", stage: "development" }] }],
    });
    await until("a server created after the restart runs", async () => (await running(added.servers[0]!.id)).length === 1, 20_000);
    // Durable jobs (pg-boss) work again: an HA change 1 -> 3 runs to the end.
    const job = await db.$transaction((tx) =>
      requestRuntimeJob(tx, { kind: "change_ha", targetId: added.servers[0]!.id, params: { replicas: 3 }, actorLabel: "restart test" }),
    );
    await until(
      "the HA change job succeeded",
      async () => (await db.runtimeJob.findUniqueOrThrow({ where: { id: job.id } })).state === "succeeded",
      20_000,
    );
    // Give a wrongful host-down (three missed beats) time to show.
    await new Promise((r) => setTimeout(r, 2500));
    writing = false;
    await writer;

    const hosts = await db.host.findMany({ select: { id: true, state: true } });
    expect(hosts.map((h) => h.state)).toEqual(hostsBefore.map(() => "ready"));
    expect(await db.auditEvent.count({ where: { action: "host.down" } })).toBe(0);
    const after = (
      await db.replica.findMany({ where: { stateServerId: server.id }, select: { id: true, ordinal: true, hostId: true, state: true } })
    ).sort((a, b) => a.ordinal - b.ordinal);
    expect(after.map((r) => [r.id, r.ordinal, r.hostId, r.state])).toEqual(before.map((r) => [r.id, r.ordinal, r.hostId, "running"]));
    expect(replicaProcesses(server.id)).toBe(3);
    expect(replicaProcesses(added.servers[0]!.id)).toBe(3);
    // No process was restarted: the same agents and controllers, all still alive.
    expect([...fleet.procs.values()].map((p) => [p.child.pid, p.child.exitCode])).toEqual(pids.map((pid) => [pid, null]));
    expect(writes.filter((w) => w.at > restartedAt + 3000).every((w) => w.status === 200)).toBe(true);
  }, 60_000);
});
