import { afterAll, beforeAll, expect, it } from "vitest";
import { createWorld } from "../testing/runtime-fixtures";
import { createTestDatabase, type TestDatabase } from "../testing/db";
import { recountQuotaUsage } from "./quota-usage";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

it("counts the environments a tenant really has, with creation's footprints (seeded worlds included)", async () => {
  const world = await createWorld(t.db, {
    zoneName: "usage",
    tenantSlug: "usage-a",
    servers: [
      {
        name: "usage-shared",
        replicas: 3,
        environments: [
          { name: "dev-1", stage: "development" },
          { name: "dev-2", stage: "development" },
        ],
      },
      { name: "usage-prod", replicas: 3, environments: [{ name: "prod-1", stage: "production" }] },
    ],
  });
  const quota = () => t.db.quota.findUniqueOrThrow({ where: { tenantId: world.tenantId } });
  expect(await quota()).toMatchObject({
    usedDevelopmentEnvs: 2,
    usedStagingEnvs: 0,
    usedProductionEnvs: 1,
    usedReplicas: 9,
    usedCpuMillis: 2 * 3 * 250 + 3 * 1000,
    usedMemoryMiB: 2 * 3 * 256 + 3 * 1024,
  });
  // Rows removed behind the counters' back are given back by the next recount.
  await t.db.environment.deleteMany({ where: { tenantId: world.tenantId, stage: "development" } });
  await recountQuotaUsage(t.db);
  expect(await quota()).toMatchObject({ usedDevelopmentEnvs: 0, usedProductionEnvs: 1, usedReplicas: 3, usedCpuMillis: 3000 });
});
