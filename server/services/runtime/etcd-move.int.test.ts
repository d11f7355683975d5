import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Etcd3 } from "etcd3";
import { createTestDatabase, type TestDatabase } from "../../testing/db";
import { createWorld, joinTokens, type World } from "../../testing/runtime-fixtures";
import { serveAgentApi } from "../../agent-api/http-server";
import { ProcessFleet, until } from "../../testing/process-fleet";
import { reservePortRange } from "../../testing/ports";
import { endpointsOf, environmentClient, environmentPrefix, untilRunning } from "../../testing/etcd-fleet";
import { withEtcd } from "../../etcd/client";
import { clusterRootAccess } from "./cluster-access";
import { requestRuntimeJob } from "./jobs";

/**
 * Moving an environment carries its data: a client writes without pause
 * through the move (re-reading the connection when its writes start failing,
 * as any client would); every write that was acknowledged is on the target
 * afterwards, and the source keeps nothing of it.
 */
let t: TestDatabase;
let fleet: ProcessFleet;
let world: World;
let api: Awaited<ReturnType<typeof serveAgentApi>>;

beforeAll(async () => {
  t = await createTestDatabase();
  api = await serveAgentApi(t.db, 0);
  world = await createWorld(t.db, {
    zoneName: "mv",
    tenantSlug: "mv",
    servers: [
      {
        name: "src",
        replicas: 3,
        environments: [
          { name: "mover", stage: "staging" },
          { name: "stay", stage: "staging" },
        ],
      },
      { name: "dst", replicas: 1, environments: [{ name: "other", stage: "development" }] },
    ],
  });
  fleet = new ProcessFleet(
    { DATABASE_URL: t.url, LOG_LEVEL: "warn", STATEHOUSE_RECONCILE_MS: "300", ETCD_BCRYPT_COST: "4" },
    process.env.RUNTIME_TEST_ECHO === "1",
  );
  const tokens = await joinTokens(t.db, world.zoneId, 3);
  const base = reservePortRange(3 * 20);
  tokens.forEach((token, i) =>
    fleet.agent(`mv-${i}`, { controller: api.url, token, failureDomain: `az-${i + 1}`, ports: `${base + i * 20}-${base + i * 20 + 19}` }),
  );
  fleet.controller("mv-c1");
  for (const env of world.environments) await untilRunning(t.db, env.id, 120_000);
}, 180_000);

afterAll(async () => {
  fleet?.killAll();
  await new Promise<void>((r) => api?.close(() => r()));
  await t?.drop();
});

describe("moving an environment to another state server", () => {
  it("loses no acknowledged write while a client writes through the move", async () => {
    const [mover, stay] = world.environments;
    const prefix = environmentPrefix(mover!.id);
    const source = mover!.stateServerId;
    const target = world.servers[1]!.id;
    const connect = async () => {
      const env = await t.db.environment.findUniqueOrThrow({ where: { id: mover!.id }, select: { stateServerId: true } });
      return environmentClient(await endpointsOf(t.db, env.stateServerId!), mover!.id, mover!.credential);
    };
    const stayClient = environmentClient(await endpointsOf(t.db, source), stay!.id, stay!.credential);
    await stayClient.put(`${environmentPrefix(stay!.id)}kept`).value("yes");

    const acknowledged: number[] = [];
    let refused = 0;
    let writing = true;
    let client: Etcd3 = await connect();
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        try {
          await client.put(`${prefix}w${String(i).padStart(6, "0")}`).value(String(i));
          acknowledged.push(i);
        } catch {
          refused++;
          client.close();
          client = await connect();
        }
      }
    })();
    await until("some writes before the move", async () => acknowledged.length >= 50, 20_000);
    const job = await t.db.$transaction((tx) =>
      requestRuntimeJob(tx, {
        kind: "move_environment",
        targetId: mover!.id,
        params: { stateServerId: target, fromStateServerId: source },
        actorLabel: "move test",
      }),
    );
    await until(
      "move job succeeded",
      async () => {
        const row = await t.db.runtimeJob.findUniqueOrThrow({ where: { id: job.id } });
        if (row.state === "failed") throw new Error(`move failed: ${row.error}`);
        return row.state === "succeeded";
      },
      120_000,
      250,
    );
    const atSwitch = acknowledged.length;
    await until("writes on the target after the switch", async () => acknowledged.length >= atSwitch + 50, 30_000);
    writing = false;
    await writer;
    client.close();

    const moved = await t.db.environment.findUniqueOrThrow({ where: { id: mover!.id } });
    expect(moved.stateServerId).toBe(target);
    expect(moved.dataServerId).toBe(target);
    const onTarget = environmentClient(await endpointsOf(t.db, target), mover!.id, mover!.credential);
    try {
      const keys = new Set(await onTarget.getAll().prefix(prefix).keys());
      const lost = acknowledged.filter((i) => !keys.has(`${prefix}w${String(i).padStart(6, "0")}`));
      console.log(`move: ${acknowledged.length} writes acknowledged, ${refused} refused during cut-over, ${lost.length} lost`);
      expect(lost).toEqual([]);
      expect(acknowledged.length).toBeGreaterThan(100);
    } finally {
      onTarget.close();
    }
    // The source kept its other environment and nothing of the moved one (its user is gone too).
    expect(await stayClient.get(`${environmentPrefix(stay!.id)}kept`).string()).toBe("yes");
    stayClient.close();
    const leftovers = await withEtcd(await clusterRootAccess(t.db, source), async (root) => ({
      keys: await root.getAll().prefix(prefix).keys(),
      users: await root.getUsers(),
    }));
    expect(leftovers.keys).toEqual([]);
    expect(leftovers.users.map((u) => u.name)).not.toContain(`env-${mover!.id}`);
  }, 240_000);
});
