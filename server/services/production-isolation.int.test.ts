import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../prisma/demo-data";
import { seedDemo } from "../../prisma/seed";
import { seal } from "../etcd/secret-box";
import { callerAs } from "../testing/callers";
import { createTestDatabase, type TestDatabase } from "../testing/db";
import { assignPendingEnvironments } from "./environment-lifecycle";

let t: TestDatabase;
let globexId: string;
let zoneId: string;
let mixedServerId: string;
const gina = "gina@globex.test";

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
  const acmeId = (await t.db.tenant.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  globexId = (await t.db.tenant.findUniqueOrThrow({ where: { slug: "globex" } })).id;
  zoneId = (await t.db.securityZone.findUniqueOrThrow({ where: { name: "shared-east" } })).id;
  // A shared server meant for no stage in particular, holding Acme's development (as the demo fleet's servers do).
  const server = await t.db.stateServer.create({
    data: { name: "mixed-east", zoneId, replicas: 1, cpuMillis: 250, memoryMiB: 256, spread: "preferred" },
  });
  mixedServerId = server.id;
  await t.db.environment.create({
    data: {
      tenantId: acmeId,
      name: "acme-dev",
      stage: "development",
      haLevel: 1,
      zoneId,
      stateServerId: server.id,
      credentialSealed: seal("k"),
      status: "running",
    },
  });
});
afterAll(() => t.drop());

const RULE = "production-apart-from-other-tenants";
const productionInput = (name: string) => ({ tenantId: globexId, name, stage: "production" as const, haLevel: 1 as const, zoneId });

/** Creates the environment as Gina and lets the controller's first step pick its state server. */
async function createAndAssign(name: string) {
  const env = await (await callerAs(t.db, gina)).environment.create(productionInput(name));
  await assignPendingEnvironments(t.db, "test-controller");
  return t.db.environment.findUniqueOrThrow({ where: { id: env.id }, select: { stateServerId: true, statusReason: true } });
}

describe("production isolation (built-in, on by default, relaxable by an admin)", () => {
  it("keeps another tenant's production off the server with Acme's development: preview and controller agree", async () => {
    const rule = await t.db.policyRule.findUniqueOrThrow({ where: { name: RULE } });
    expect(rule).toMatchObject({ kind: "production_isolation", builtIn: true, enabled: true });
    const preview = await (await callerAs(t.db, gina)).environment.preview(productionInput("shop"));
    expect(preview.placement).toMatchObject({ decision: "new", rejectedServers: 1 });
    const placed = await createAndAssign("shop");
    expect(placed.stateServerId).not.toBe(mixedServerId);
    expect(placed.statusReason).toMatch(/^new state server /);
  });

  it("an admin relaxes it (audited); then production joins, and switching it back on reports the violation", async () => {
    const admin = await callerAs(t.db, DEMO_USERS.admin.email);
    const rule = await t.db.policyRule.findUniqueOrThrow({ where: { name: RULE } });
    const relaxed = await admin.policy.update({ id: rule.id, enabled: false });
    expect(relaxed).toMatchObject({ enabled: false, violations: 0 });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "policy.update", targetId: rule.id } });
    expect(audit.after).toMatchObject({ enabled: false });

    const preview = await (await callerAs(t.db, gina)).environment.preview(productionInput("shop-2"));
    expect(preview.placement).toMatchObject({ decision: "existing", stateServerName: "mixed-east" });
    expect((await createAndAssign("shop-2")).stateServerId).toBe(mixedServerId);

    const restored = await admin.policy.update({ id: rule.id, enabled: true });
    expect(restored).toMatchObject({ enabled: true, violations: 1 });
    const found = (await admin.compliance.report()).violations.filter((v) => v.rule === RULE);
    expect(found).toEqual([
      expect.objectContaining({
        kind: "production_isolation",
        message: "shop-2 is production but shares state server mixed-east with another tenant's development environment acme-dev",
        fix: { action: "move_dedicated" },
        tenantName: "Globex",
      }),
    ]);
  });

  it("the self-hosting rule stays locked while this one may be switched", async () => {
    const admin = await callerAs(t.db, DEMO_USERS.admin.email);
    const locked = await t.db.policyRule.findFirstOrThrow({ where: { kind: "no_self_hosting" } });
    await expect(admin.policy.update({ id: locked.id, enabled: false })).rejects.toThrow(/always on/);
    const rule = await t.db.policyRule.findUniqueOrThrow({ where: { name: RULE } });
    await expect(admin.policy.update({ id: rule.id, params: { x: 1 } })).rejects.toThrow(/only switching it on or off/);
    await expect(admin.policy.remove({ id: rule.id })).rejects.toThrow(/cannot be removed/);
  });
});
