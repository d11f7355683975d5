import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import type { Etcd3 } from "etcd3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type Db } from "../../db/client";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../db/embedded";
import { ensureDatabase, migrate } from "../../db/migrate";
import { createWorld, joinTokens, type World } from "../../testing/runtime-fixtures";
import { serveAgentApi } from "../../agent-api/http-server";
import { requestRuntimeJob } from "./jobs";
import { PROJECT_DIR, ProcessFleet, until } from "../../testing/process-fleet";
import { reservePortRange } from "../../testing/ports";
import { endpointsOf, environmentClient, environmentPrefix, memberRows, untilRunning } from "../../testing/etcd-fleet";

/**
 * Stop the control plane's Postgres under load. A DEDICATED embedded Postgres
 * (its own port and data directory: the machine's Postgres on 5432 serves the
 * other tests) backs the agent API, three real agents with their etcd members
 * and two real controllers, while a client writes to its environment through
 * etcd with its own credential. The environment's data never touches Postgres:
 * reads and writes keep working during the outage and nothing acknowledged is
 * lost. When Postgres is back, no process is restarted and everything
 * recovers: heartbeats, controller passes, durable jobs; no host is marked
 * down, no member is replaced.
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
const PORT_BASE = reservePortRange(70);

let pgServer: EmbeddedDatabase;
let url: string;
let db: Db;
let hot: pg.Pool;
let api: Awaited<ReturnType<typeof serveAgentApi>>;
let fleet: ProcessFleet;
let world: World;

const start = () => startEmbeddedPostgres({ projectDir: DATA, port: PG_PORT, database: "statehouse_restart", log: () => undefined });

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
  fleet = new ProcessFleet(
    { DATABASE_URL: url, LOG_LEVEL: "warn", STATEHOUSE_RECONCILE_MS: "300", ETCD_BCRYPT_COST: "4" },
    process.env.RUNTIME_TEST_ECHO === "1",
  );
  const tokens = await joinTokens(db, world.zoneId, 3);
  tokens.forEach((token, i) =>
    fleet.agent(`pgr-${i}`, {
      controller: api.url,
      token,
      failureDomain: `az-${i + 1}`,
      ports: `${PORT_BASE + i * 8}-${PORT_BASE + i * 8 + 7}`,
    }),
  );
  fleet.controller("pgr-c1");
  fleet.controller("pgr-c2");
  await untilRunning(db, world.environments[0]!.id, 150_000);
}, 180_000);

afterAll(async () => {
  fleet?.killAll();
  await new Promise<void>((r) => (api ? api.close(() => r()) : r()));
  await hot?.end().catch(() => undefined);
  await db?.$disconnect().catch(() => undefined);
  await pgServer?.stop();
}, 20_000);

/** Writes w-<n> every 50 ms until stopped; each write's outcome is kept (acknowledged or not). */
function startWriter(client: Etcd3, prefix: string) {
  const writes: { at: number; key: string; value: string; ok: boolean }[] = [];
  let writing = true;
  const done = (async () => {
    for (let n = 0; writing; n++) {
      const key = `${prefix}w-${n}`;
      const ok = await client
        .put(key)
        .value(String(n))
        .then(
          () => true,
          () => false,
        );
      writes.push({ at: Date.now(), key, value: String(n), ok });
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    writes,
    stop: async () => {
      writing = false;
      await done;
    },
  };
}

describe("control-plane Postgres stopped under load", () => {
  it("environment reads and writes through etcd keep working; nothing acknowledged is lost; the control plane recovers", async () => {
    const env = world.environments[0]!;
    const server = world.servers[0]!;
    const prefix = environmentPrefix(env.id);
    // The member ids are recorded from etcd's member list a pass after the cluster is ready.
    await until("member ids recorded", async () => (await memberRows(db, server.id)).every((r) => r.memberId), 30_000);
    const membersBefore = (await memberRows(db, server.id)).map((r) => [r.id, r.memberId, r.host!.id]);
    const hostsBefore = await db.host.findMany({ select: { id: true } });
    const pids = [...fleet.procs.values()].map((p) => p.child.pid);
    // The client knows its endpoints (from the connection the page shows); it never talks to Postgres.
    const client = environmentClient(await endpointsOf(db, server.id), env.id, env.credential);
    try {
      await client.put(`${prefix}before`).value("kept");
      const writer = startWriter(client, prefix);
      await new Promise((r) => setTimeout(r, 1000));

      await pgServer.stop();
      const stoppedAt = Date.now();
      // During the outage: reads of old keys and new writes succeed.
      const readsDuringOutage: string[] = [];
      while (Date.now() - stoppedAt < 6000) {
        readsDuringOutage.push((await client.get(`${prefix}before`).string()) ?? "missing");
        await new Promise((r) => setTimeout(r, 500));
      }
      pgServer = await start();
      const restartedAt = Date.now();
      expect(readsDuringOutage.length).toBeGreaterThan(0);
      expect(new Set(readsDuringOutage)).toEqual(new Set(["kept"]));
      const duringOutage = writer.writes.filter((w) => w.at > stoppedAt && w.at < restartedAt);
      expect(duringOutage.length).toBeGreaterThan(0);
      expect(duringOutage.filter((w) => !w.ok)).toEqual([]);

      // Heartbeats succeed again (the app's pools reconnect by themselves).
      await until(
        "every host heartbeating again",
        async () =>
          (await db.host.findMany({ select: { lastHeartbeatAt: true } })).every((h) => h.lastHeartbeatAt!.getTime() > restartedAt),
        30_000,
      );
      // The controllers work again: a new state server is bootstrapped and its environment provisioned.
      const added = await createWorld(db, {
        zoneName: "pgr",
        tenantSlug: "pgr",
        servers: [{ name: "pgr-after", replicas: 1, environments: [{ name: "after", stage: "development" }] }],
      });
      await untilRunning(db, added.environments[0]!.id, 90_000);
      // Durable jobs (pg-boss) work again: an HA change 1 -> 3 runs to the end.
      const job = await db.$transaction((tx) =>
        requestRuntimeJob(tx, { kind: "change_ha", targetId: added.servers[0]!.id, params: { replicas: 3 }, actorLabel: "restart test" }),
      );
      await until(
        "the HA change job succeeded",
        async () => (await db.runtimeJob.findUniqueOrThrow({ where: { id: job.id } })).state === "succeeded",
        120_000,
      );
      await writer.stop();

      // Every acknowledged write is there, with its value.
      const stored = await client.getAll().prefix(prefix).strings();
      const acknowledged = writer.writes.filter((w) => w.ok);
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(acknowledged.filter((w) => stored[w.key] !== w.value)).toEqual([]);
      console.info(`writes: ${acknowledged.length} acknowledged, ${duringOutage.length} during the ${restartedAt - stoppedAt} ms outage`);
    } finally {
      client.close();
    }
    const hosts = await db.host.findMany({ select: { id: true, state: true } });
    expect(hosts.map((h) => h.state)).toEqual(hostsBefore.map(() => "ready"));
    expect(await db.auditEvent.count({ where: { action: "host.down" } })).toBe(0);
    // The same members on the same hosts: nothing was replaced.
    expect((await memberRows(db, server.id)).map((r) => [r.id, r.memberId, r.host!.id])).toEqual(membersBefore);
    // No process was restarted: the same agents and controllers, all still alive.
    expect([...fleet.procs.values()].map((p) => [p.child.pid, p.child.exitCode])).toEqual(pids.map((pid) => [pid, null]));
    expect(await db.environment.findUniqueOrThrow({ where: { id: env.id }, select: { status: true } })).toEqual({ status: "running" });
  }, 400_000);
});
