import { seal } from "@/server/etcd/secret-box";
import { handleHeartbeat } from "../agent-api/handlers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../prisma/seed";
import { DEMO_USERS } from "../../prisma/demo-data";
import { hashSecret, newSecret } from "../auth/password";
import { createTestDatabase, type TestDatabase } from "../testing/db";
import { callerAs, failure } from "../testing/callers";

let t: TestDatabase;
const { admin, support, user } = DEMO_USERS;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
  const acme = await t.db.tenant.findUniqueOrThrow({ where: { slug: "acme" } });
  const globex = await t.db.tenant.findUniqueOrThrow({ where: { slug: "globex" } });
  for (const [tenant, name] of [
    [acme, "acme-staging"],
    [globex, "globex-prod"],
  ] as const) {
    await t.db.environment.create({
      data: { tenantId: tenant.id, name, stage: "staging", haLevel: 1, credentialSealed: seal(name) },
    });
  }
});
afterAll(() => t.drop());

describe("procedure tiers", () => {
  it("refuses an anonymous caller with UNAUTHORIZED and a readable message", async () => {
    const error = await failure((await callerAs(t.db, null)).environment.list({}));
    expect(error.code).toBe("UNAUTHORIZED");
    expect(error.message).toMatch(/sign in/i);
  });

  it("answers session.get with null when signed out, never an error", async () => {
    expect(await (await callerAs(t.db, null)).session.get()).toBeNull();
  });

  it("refuses a tenant user fleet-wide reads with FORBIDDEN", async () => {
    const caller = await callerAs(t.db, user.email);
    for (const call of [caller.tenant.list({}), caller.host.list({}), caller.audit.list({}), caller.placement.summary()]) {
      expect((await failure(call)).code).toBe("FORBIDDEN");
    }
  });

  it("lets support and admins read the fleet", async () => {
    for (const email of [support.email, admin.email]) {
      const caller = await callerAs(t.db, email);
      const tenants = await caller.tenant.list({});
      expect(tenants.items.map((x) => x.slug)).toEqual(["acme", "globex"]);
      expect((await caller.zone.list({})).items).toHaveLength(3);
      expect((await caller.policy.list({})).items.map((p) => p.name)).toContain("never-host-on-served-environment");
      expect((await caller.audit.list({})).items[0]?.action).toBe("demo.seed");
    }
  });
});

describe("tenant scoping", () => {
  it("shows a tenant user only their tenants' environments", async () => {
    const list = await (await callerAs(t.db, user.email)).environment.list({});
    expect(list.items.map((e) => e.name)).toEqual(["acme-staging"]);
    expect(list.items[0]?.tenantName).toBe("Acme");
  });

  it("shows support every tenant's environments", async () => {
    const list = await (await callerAs(t.db, support.email)).environment.list({});
    expect(list.items.map((e) => e.name).sort()).toEqual(["acme-staging", "globex-prod"]);
  });

  it("pages with a cursor and ends with a null cursor", async () => {
    const caller = await callerAs(t.db, admin.email);
    const first = await caller.environment.list({ limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await caller.environment.list({ limit: 1, cursor: first.nextCursor });
    expect(second.items).toHaveLength(1);
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
    expect(second.nextCursor).toBeNull();
  });
});

describe("validation", () => {
  it("rejects bad input with BAD_REQUEST naming the field", async () => {
    const caller = await callerAs(t.db, admin.email);
    const error = await failure(caller.environment.list({ limit: 1000 }));
    expect(error.code).toBe("BAD_REQUEST");
    const bad = await failure(caller.audit.list({ cursor: "not-a-number" }));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.message).toMatch(/^cursor:/);
  });
});

describe("host credentials (the agent protocol's one check: hostCredentialHash)", () => {
  it("authenticates a host by its credential and refuses unknown or revoked ones", async () => {
    const zone = await t.db.securityZone.findFirstOrThrow();
    const credential = newSecret("host");
    const host = await t.db.host.create({
      data: { name: "h1", zoneId: zone.id, failureDomain: "az1", cpuMillis: 4000, memoryMiB: 8192, credentialHash: hashSecret(credential) },
    });
    const beat = (token: string) =>
      handleHeartbeat(
        t.db,
        new Request("http://app/api/agent/heartbeat", {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ cpuMillis: 4000, memoryMiB: 8192, replicas: [] }),
        }),
      );
    const ok = await beat(credential);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { host: { id: string } }).host.id).toBe(host.id);
    expect((await beat("host_wrong")).status).toBe(401);
    await t.db.host.update({ where: { id: host.id }, data: { credentialRevokedAt: new Date() } });
    expect((await beat(credential)).status).toBe(401);
  });
});

describe("audit trail", () => {
  it("refuses UPDATE and DELETE of audit rows at the database", async () => {
    await expect(t.db.$executeRaw`UPDATE "AuditEvent" SET action = 'x'`).rejects.toThrow(/append-only/);
    await expect(t.db.$executeRaw`DELETE FROM "AuditEvent"`).rejects.toThrow(/append-only/);
  });
});
