import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../prisma/seed";
import { DEMO_USERS } from "../../prisma/demo-data";
import { authenticate } from "../auth/credentials";
import { callerAs } from "../testing/callers";
import { createTestDatabase, type TestDatabase } from "../testing/db";
import { sessionFromApiToken } from "./api-tokens";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
});
afterAll(() => t.drop());

const codeOf = (e: unknown) => (e instanceof TRPCError ? e.code : "not a TRPCError");

describe("sign-up", () => {
  it("creates a user who owns a personal tenant with the free-tier quota and zone grants", async () => {
    const anon = await callerAs(t.db, null);
    expect(await anon.account.signUpEnabled()).toBe(true);
    const result = await anon.account.signUp({ name: "Nina", email: "Nina@Example.com", password: "correct-horse-battery" });
    const tenant = await t.db.tenant.findUniqueOrThrow({
      where: { id: result.tenantId },
      include: { quota: true, memberships: { include: { user: true } }, zoneGrants: { include: { zone: true } } },
    });
    expect(tenant.slug).toBe("nina");
    expect(tenant.memberships.map((m) => [m.user.email, m.role])).toEqual([["nina@example.com", "owner"]]);
    expect(tenant.quota).toMatchObject({ maxDevelopmentEnvs: 2, maxStagingEnvs: 1, maxProductionEnvs: 1, maxReplicas: 6 });
    expect(tenant.zoneGrants.map((g) => g.zone.name)).toEqual(["shared-east"]);
    expect(await authenticate(t.db, { email: "nina@example.com", password: "correct-horse-battery" }, "ip", 0)).not.toBeNull();
    const audit = await t.db.auditEvent.findFirst({ where: { action: "user.sign_up" } });
    expect(audit?.tenantId).toBe(tenant.id);
  });

  it("gives a second tenant with a taken slug a suffix", async () => {
    const anon = await callerAs(t.db, null);
    const { tenantSlug } = await anon.account.signUp({ name: "Nina Two", email: "nina@other.example", password: "correct-horse-battery" });
    expect(tenantSlug).toMatch(/^nina-[a-z0-9]{6}$/);
  });

  it("lets exactly one of two racing sign-ups with the same email through", async () => {
    const anon = await callerAs(t.db, null);
    const input = { name: "Race", email: "race@example.com", password: "correct-horse-battery" };
    const results = await Promise.allSettled([anon.account.signUp(input), anon.account.signUp(input)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(codeOf(rejected.reason)).toBe("CONFLICT");
    expect((rejected.reason as Error).message).toMatch(/^email:/);
    expect(await t.db.user.count({ where: { email: input.email } })).toBe(1);
  });

  it("rejects weak input naming the field", async () => {
    const anon = await callerAs(t.db, null);
    const error = await anon.account.signUp({ name: "X", email: "x@example.com", password: "short" }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("BAD_REQUEST");
    expect((error as Error).message).toMatch(/^password:/);
  });

  it("is refused when an admin turns sign-up off, and only admins can", async () => {
    const user = await callerAs(t.db, DEMO_USERS.user.email);
    expect(codeOf(await user.account.updateSettings({ signupEnabled: false }).catch((e: unknown) => e))).toBe("FORBIDDEN");
    const admin = await callerAs(t.db, DEMO_USERS.admin.email);
    await admin.account.updateSettings({ signupEnabled: false, freeReplicas: 9 });
    const anon = await callerAs(t.db, null);
    expect(await anon.account.signUpEnabled()).toBe(false);
    const error = await anon.account
      .signUp({ name: "Late", email: "late@example.com", password: "correct-horse-battery" })
      .catch((e: unknown) => e);
    expect(codeOf(error)).toBe("FORBIDDEN");
    await admin.account.updateSettings({ signupEnabled: true });
    expect(await t.db.auditEvent.count({ where: { action: "settings.update" } })).toBe(2);
    // Free-tier zones are zone names: one that names no zone is refused on the field, nothing changes.
    const unknownZone = await admin.account.updateSettings({ freeTierZones: ["shared-east", "nowhere"] }).catch((e: unknown) => e);
    expect(codeOf(unknownZone)).toBe("BAD_REQUEST");
    expect((unknownZone as TRPCError).message).toBe('freeTierZones: no security zone is named "nowhere"');
    expect((unknownZone as TRPCError).cause).toMatchObject({ field: "freeTierZones" });
    expect((await admin.account.updateSettings({ freeTierZones: ["shared-east", "shared-east"] })).freeTierZones).toEqual(["shared-east"]);
  });
});

describe("personal API tokens", () => {
  it("stands for its user until revoked, is stored hashed, and is shown only at creation", async () => {
    const alice = await callerAs(t.db, DEMO_USERS.user.email);
    const created = await alice.account.createToken({ name: "ci" });
    expect(created.token).toMatch(/^sht_/);
    const session = await sessionFromApiToken(t.db, created.token);
    expect(session?.user.email).toBe(DEMO_USERS.user.email);
    const listed = await alice.account.tokens();
    expect(JSON.stringify(listed)).not.toContain(created.token);
    const row = await t.db.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.tokenHash).not.toContain(created.token);

    const bob = await callerAs(t.db, "gina@globex.test");
    expect(codeOf(await bob.account.revokeToken({ id: created.id }).catch((e: unknown) => e))).toBe("NOT_FOUND");
    await alice.account.revokeToken({ id: created.id });
    expect(await sessionFromApiToken(t.db, created.token)).toBeNull();
  });

  it("refuses expired, unknown and malformed tokens", async () => {
    const alice = await callerAs(t.db, DEMO_USERS.user.email);
    const created = await alice.account.createToken({ name: "short-lived", expiresInDays: 1 });
    expect(await sessionFromApiToken(t.db, created.token, new Date(Date.now() + 2 * 86_400_000))).toBeNull();
    expect(await sessionFromApiToken(t.db, "sht_unknown")).toBeNull();
    expect(await sessionFromApiToken(t.db, "host_whatever")).toBeNull();
  });
});
