import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EtcdPermissionDeniedError } from "etcd3";
import { createTestDatabase, type TestDatabase } from "../../testing/db";
import { createWorld, joinTokens, type World } from "../../testing/runtime-fixtures";
import { serveAgentApi } from "../../agent-api/http-server";
import { ProcessFleet, until } from "../../testing/process-fleet";
import { reservePortRange } from "../../testing/ports";
import { endpointsOf, environmentClient, environmentPrefix, memberRows, untilRunning, votingMembers } from "../../testing/etcd-fleet";

/**
 * The state servers are real etcd clusters: real agents start the members, the
 * real controller bootstraps, secures and repairs the cluster, and each
 * environment is a prefix with its own etcd user.
 */
let t: TestDatabase;
let fleet: ProcessFleet;
let world: World;
let api: Awaited<ReturnType<typeof serveAgentApi>>;
const DOMAINS = ["az-1", "az-2", "az-3"];
let portBase = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  api = await serveAgentApi(t.db, 0);
  world = await createWorld(t.db, {
    zoneName: "etcd",
    tenantSlug: "etcd",
    servers: [
      {
        name: "ha3",
        replicas: 3,
        environments: [
          { name: "prod", stage: "production" },
          { name: "stage", stage: "staging" },
        ],
      },
    ],
  });
  fleet = new ProcessFleet(
    { DATABASE_URL: t.url, LOG_LEVEL: "warn", STATEHOUSE_RECONCILE_MS: "300", ETCD_BCRYPT_COST: "4" },
    process.env.RUNTIME_TEST_ECHO === "1",
  );
  const tokens = await joinTokens(t.db, world.zoneId, 4);
  portBase = reservePortRange(4 * 20);
  tokens.forEach((token, i) =>
    fleet.agent(`host-${i}`, {
      controller: api.url,
      token,
      failureDomain: DOMAINS[i % 3]!,
      ports: `${portBase + i * 20}-${portBase + i * 20 + 19}`,
    }),
  );
  fleet.controller("c1");
}, 60_000);

afterAll(async () => {
  fleet?.killAll();
  await new Promise<void>((r) => api?.close(() => r()));
  await t?.drop();
});

describe("a state server is a 3-member etcd cluster", () => {
  it("bootstraps, enables auth and gives each environment its own user on its own prefix", async () => {
    const [prod, stage] = world.environments;
    await untilRunning(t.db, prod!.id, 90_000);
    await untilRunning(t.db, stage!.id, 30_000);
    const server = world.servers[0]!.id;
    const rows = await votingMembers(t.db, server);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.host!.id)).size).toBe(3);
    expect(rows.filter((r) => r.isLeader)).toHaveLength(1);
    expect(rows.every((r) => r.memberId)).toBe(true);

    const endpoints = await endpointsOf(t.db, server);
    const a = environmentClient(endpoints, prod!.id, prod!.credential);
    const b = environmentClient(endpoints, stage!.id, stage!.credential);
    try {
      await a.put(`${environmentPrefix(prod!.id)}greeting`).value("hello");
      expect(await a.get(`${environmentPrefix(prod!.id)}greeting`).string()).toBe("hello");
      // B's credential is refused on A's prefix, and outside its own, on the same cluster.
      await expect(b.get(`${environmentPrefix(prod!.id)}greeting`).string()).rejects.toBeInstanceOf(EtcdPermissionDeniedError);
      await expect(b.put(`${environmentPrefix(prod!.id)}x`).value("y")).rejects.toBeInstanceOf(EtcdPermissionDeniedError);
      await expect(a.put("/outside").value("y")).rejects.toBeInstanceOf(EtcdPermissionDeniedError);
      // The trailing slash matters: /env/<id>/ does not cover /env/<id>x/.
      await expect(a.put(`/env/${prod!.id}x/k`).value("y")).rejects.toBeInstanceOf(EtcdPermissionDeniedError);
    } finally {
      a.close();
      b.close();
    }
  }, 150_000);

  it("survives kill -9 of one member: writes continue and the agent brings it back as a voting member", async () => {
    const [prod] = world.environments;
    const server = world.servers[0]!.id;
    const victim = (await memberRows(t.db, server)).find((r) => !r.isLeader && r.pid)!;
    process.kill(victim.pid!, "SIGKILL");
    const a = environmentClient(await endpointsOf(t.db, server), prod!.id, prod!.credential);
    try {
      for (let i = 0; i < 20; i++) await a.put(`${environmentPrefix(prod!.id)}k${i}`).value(String(i));
      expect((await a.getAll().prefix(environmentPrefix(prod!.id)).keys()).length).toBeGreaterThanOrEqual(21);
    } finally {
      a.close();
    }
    await until(
      "the killed member back (new pid, same member id)",
      async () => {
        const row = (await memberRows(t.db, server)).find((r) => r.id === victim.id);
        return row?.state === "running" && row.pid !== victim.pid && row.memberId === victim.memberId;
      },
      // Restart backoff, etcd 3.4's publish retry (a restarted member may serve clients only after ~10 s) and
      // heartbeats: ~15 s on a quiet machine; a clean-clone CI run at load 9 took over 30 s.
      60_000,
    );
    expect(await votingMembers(t.db, server)).toHaveLength(3);
  }, 90_000);
});
