import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/db";
import { until } from "../testing/process-fleet";
import { createWorld, type World } from "../testing/runtime-fixtures";
import { Controller } from "./controller";

/**
 * A change to what the passes act on wakes the controller: with a 60 s
 * interval, a host joining makes the waiting replica placed within seconds
 * (without the wake it waits for the next interval), and a change to a table
 * the passes do not read (a new user) runs no extra pass.
 */
let t: TestDatabase;
let controller: Controller;
let world: World;

beforeAll(async () => {
  t = await createTestDatabase();
  world = await createWorld(t.db, {
    zoneName: "wake",
    tenantSlug: "tenant-wake",
    servers: [{ name: "wake-dev", replicas: 1, environments: [{ name: "dev", stage: "development" }] }],
  });
  controller = new Controller({ databaseUrl: t.url, id: "ctl-wake", jobs: false, intervalMs: 60_000, log: () => undefined });
  await controller.start();
  await until("the first pass", async () => controller.passes >= 1, 20_000);
  // The first pass's own writes (the replica's "no host" reason) wake one more; then it must settle, not loop.
  let seen = -1;
  await until(
    "passes to settle",
    async () => {
      const settled = controller.passes === seen;
      seen = controller.passes;
      return settled;
    },
    15_000,
    1500,
  );
}, 30_000);

afterAll(async () => {
  await controller?.stop();
  await t?.drop();
});

it("places a waiting replica within seconds of a host joining, not at the next 60 s interval", async () => {
  const replica = () => t.db.replica.findFirstOrThrow({ where: { stateServerId: world.servers[0]!.id } });
  expect((await replica()).hostId).toBeNull();
  const passes = controller.passes;
  await t.db.user.create({ data: { email: "unrelated@wake.test", name: "Unrelated", passwordHash: "x" } });
  await new Promise((r) => setTimeout(r, 1500));
  expect(controller.passes).toBe(passes);
  const host = await t.db.host.create({
    data: {
      name: "wake-0",
      zoneId: world.zoneId,
      failureDomain: "az-1",
      cpuMillis: 4000,
      memoryMiB: 8192,
      state: "ready",
      lastHeartbeatAt: new Date(),
    },
  });
  const placed = await until("the replica placed", async () => ((await replica()).hostId === host.id ? true : undefined), 20_000);
  expect(placed).toBe(true);
  await until("that pass to end", async () => controller.passes > passes, 10_000);
}, 40_000);
