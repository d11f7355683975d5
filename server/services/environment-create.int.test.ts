import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../prisma/demo-data";
import { seedDemo } from "../../prisma/seed";
import { callerAs, failure } from "../testing/callers";
import { createTestDatabase, type TestDatabase } from "../testing/db";

let t: TestDatabase;
let acmeId: string;
let zoneId: string;
const alice = DEMO_USERS.user.email;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
  acmeId = (await t.db.tenant.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  zoneId = (await t.db.securityZone.findUniqueOrThrow({ where: { name: "shared-east" } })).id;
});
afterAll(() => t.drop());

describe("environment.create", () => {
  it("creates a pending environment, returns its credential once, reserves quota and audits", async () => {
    const caller = await callerAs(t.db, alice);
    const env = await caller.environment.create({ tenantId: acmeId, name: "web-dev", stage: "development", haLevel: 1, zoneId });
    expect(env.status).toBe("pending");
    expect(env.credential).toMatch(/^env_/);
    const row = await t.db.environment.findUniqueOrThrow({ where: { id: env.id } });
    expect(row.credentialSealed).not.toContain(env.credential);
    const quota = await t.db.quota.findUniqueOrThrow({ where: { tenantId: acmeId } });
    expect(quota).toMatchObject({ usedDevelopmentEnvs: 1, usedReplicas: 1, usedCpuMillis: 250, usedMemoryMiB: 256 });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "environment.create", targetId: env.id } });
    expect(audit).toMatchObject({ actorLabel: alice, tenantId: acmeId });
    expect(audit.requestId).toBeTruthy();
  });

  it("refuses a duplicate name with CONFLICT on name", async () => {
    const caller = await callerAs(t.db, alice);
    const error = await failure(caller.environment.create({ tenantId: acmeId, name: "web-dev", stage: "development", haLevel: 1, zoneId }));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toMatch(/name/);
  });

  it("refuses an ungranted zone naming the zone-grant rule", async () => {
    const restricted = await t.db.securityZone.findUniqueOrThrow({ where: { name: "restricted" } });
    const error = await failure(
      (await callerAs(t.db, alice)).environment.create({
        tenantId: acmeId,
        name: "x",
        stage: "development",
        haLevel: 1,
        zoneId: restricted.id,
      }),
    );
    expect(error.code).toBe("UNPROCESSABLE_CONTENT");
    expect(error.message).toContain("zone-grant");
  });

  it("refuses a 1-replica production environment with the min-HA rule's name", async () => {
    await t.db.policyRule.create({ data: { kind: "min_ha", name: "prod-needs-3", params: { stage: "production", minReplicas: 3 } } });
    const error = await failure(
      (await callerAs(t.db, alice)).environment.create({ tenantId: acmeId, name: "shop", stage: "production", haLevel: 1, zoneId }),
    );
    expect(error.code).toBe("UNPROCESSABLE_CONTENT");
    expect(error.message).toContain("prod-needs-3");
    await t.db.policyRule.delete({ where: { name: "prod-needs-3" } });
  });

  it("refuses viewers (FORBIDDEN) and foreign tenants (NOT_FOUND)", async () => {
    const input = { tenantId: acmeId, name: "v", stage: "development" as const, haLevel: 1 as const, zoneId };
    expect((await failure((await callerAs(t.db, "vera@acme.test")).environment.create(input))).code).toBe("FORBIDDEN");
    expect((await failure((await callerAs(t.db, "gina@globex.test")).environment.create(input))).code).toBe("NOT_FOUND");
  });

  it("refuses new environments in a suspended tenant with PRECONDITION_FAILED", async () => {
    await t.db.tenant.update({ where: { id: acmeId }, data: { status: "suspended" } });
    const error = await failure(
      (await callerAs(t.db, alice)).environment.create({ tenantId: acmeId, name: "late", stage: "development", haLevel: 1, zoneId }),
    );
    expect(error.code).toBe("PRECONDITION_FAILED");
    await t.db.tenant.update({ where: { id: acmeId }, data: { status: "active" } });
  });
});

describe("quota under concurrency", () => {
  it("100 concurrent creations against a quota of 10 give exactly 10 successes and 90 quota errors", async () => {
    await t.db.quota.update({
      where: { tenantId: acmeId },
      data: { maxStagingEnvs: 10, usedStagingEnvs: 0, maxReplicas: 1000, maxCpuMillis: 1_000_000, maxMemoryMiB: 1_000_000 },
    });
    const caller = await callerAs(t.db, alice);
    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        caller.environment.create({ tenantId: acmeId, name: `race-${i}`, stage: "staging", haLevel: 1, zoneId }),
      ),
    );
    const millis = Math.round(performance.now() - started);
    const ok = results.filter((r) => r.status === "fulfilled");
    const failed = results.flatMap((r) => (r.status === "rejected" ? [r.reason as TRPCError] : []));
    console.log(`100 concurrent environment.create against quota 10: ${ok.length} ok, ${failed.length} refused in ${millis} ms`);
    expect(ok).toHaveLength(10);
    expect(failed).toHaveLength(90);
    for (const e of failed) {
      expect(e.code).toBe("FORBIDDEN");
      expect(e.message).toBe(
        "Acme already has 10 of its 10 staging environments; a platform administrator can raise the quota, or you can remove an environment you no longer need.",
      );
    }
    expect(await t.db.environment.count({ where: { tenantId: acmeId, stage: "staging" } })).toBe(10);
    const quota = await t.db.quota.findUniqueOrThrow({ where: { tenantId: acmeId } });
    expect(quota.usedStagingEnvs).toBe(10);
  });

  it("allows lowering a quota below usage; only new creations are blocked", async () => {
    await t.db.quota.update({ where: { tenantId: acmeId }, data: { maxStagingEnvs: 5 } });
    const error = await failure(
      (await callerAs(t.db, alice)).environment.create({ tenantId: acmeId, name: "one-more", stage: "staging", haLevel: 1, zoneId }),
    );
    expect(error.message).toBe(
      "Acme already has 10 of its 5 staging environments; a platform administrator can raise the quota, or you can remove an environment you no longer need.",
    );
    expect(await t.db.environment.count({ where: { tenantId: acmeId, stage: "staging" } })).toBe(10);
  });
});
