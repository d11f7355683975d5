import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../prisma/seed";
import { DEMO_PASSWORD, DEMO_USERS } from "../../prisma/demo-data";
import { createPrismaClient } from "../db/client";
import { findAppError } from "../errors";
import { createTestDatabase, type TestDatabase } from "../testing/db";
import { authenticate } from "./credentials";
import { loadSessionUser } from "./session-user";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
});
afterAll(() => t.drop());

describe("authenticate", () => {
  it("accepts the right password, case-insensitively by email", async () => {
    const user = await authenticate(t.db, { email: " Alice@ACME.test ", password: DEMO_PASSWORD }, "ip-ok", 0);
    expect(user?.email).toBe(DEMO_USERS.user.email);
  });

  it("answers null for a wrong password, an unknown user and malformed input alike", async () => {
    for (const raw of [
      { email: DEMO_USERS.admin.email, password: "wrong" },
      { email: "nobody@example.com", password: DEMO_PASSWORD },
      { email: "not-an-email", password: "x" },
      { email: DEMO_USERS.admin.email, password: "" },
      { email: DEMO_USERS.admin.email, password: "x".repeat(10_000) },
      null,
      "garbage",
    ]) {
      expect(await authenticate(t.db, raw, "ip-null", 0)).toBeNull();
    }
  });

  it("stores passwords as bcrypt hashes, never in clear", async () => {
    const rows = await t.db.user.findMany({ select: { passwordHash: true } });
    for (const row of rows) {
      expect(row.passwordHash).toMatch(/^\$2[aby]\$10\$/);
      expect(row.passwordHash).not.toContain(DEMO_PASSWORD);
    }
  });

  it("refuses the 11th failed attempt in a minute, even with the right password, then recovers", async () => {
    const email = DEMO_USERS.support.email;
    for (let i = 0; i < 10; i++) {
      expect(await authenticate(t.db, { email, password: `wrong-${i}` }, `ip-${i}`, 1_000 + i)).toBeNull();
    }
    const blocked = await authenticate(t.db, { email, password: DEMO_PASSWORD }, "ip-x", 2_000).catch((e: unknown) => e);
    expect(findAppError(blocked)?.code).toBe("RATE_LIMITED");
    const later = await authenticate(t.db, { email, password: DEMO_PASSWORD }, "ip-x", 62_000);
    expect(later?.email).toBe(email);
  });

  it("holds the limit across app processes and under concurrency: 20 wrong attempts at once, exactly 10 checked", async () => {
    // A second client with its own pool stands for another web server worker.
    const other = createPrismaClient(t.url, 10);
    try {
      const email = DEMO_USERS.admin.email;
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => authenticate(i % 2 ? other : t.db, { email, password: `wrong-${i}` }, `ip-c${i}`, 500_000)),
      );
      const refused = results.filter((r) => r.status === "rejected" && findAppError(r.reason)?.code === "RATE_LIMITED");
      const failed = results.filter((r) => r.status === "fulfilled" && r.value === null);
      expect([failed.length, refused.length]).toEqual([10, 10]);
      expect(
        (await authenticate(other, { email, password: DEMO_PASSWORD }, "ip-c", 500_100).catch((e: unknown) => e)) instanceof Error,
      ).toBe(true);
      expect((await authenticate(t.db, { email, password: DEMO_PASSWORD }, "ip-c", 561_000))?.email).toBe(email);
    } finally {
      await other.$disconnect();
    }
  });

  it("keys on the client address too, and a right password does not count", async () => {
    for (let i = 0; i < 12; i++)
      expect((await authenticate(t.db, { email: DEMO_USERS.user.email, password: DEMO_PASSWORD }, "ip-busy", 700_000 + i))?.email).toBe(
        DEMO_USERS.user.email,
      );
    for (let i = 0; i < 10; i++)
      expect(await authenticate(t.db, { email: `nobody-${i}@example.com`, password: "x" }, "ip-busy", 700_100 + i)).toBeNull();
    const blocked = await authenticate(t.db, { email: DEMO_USERS.user.email, password: DEMO_PASSWORD }, "ip-busy", 700_200).catch(
      (e: unknown) => e,
    );
    expect(findAppError(blocked)?.code).toBe("RATE_LIMITED");
    expect((await authenticate(t.db, { email: DEMO_USERS.user.email, password: DEMO_PASSWORD }, "ip-elsewhere", 700_200))?.email).toBe(
      DEMO_USERS.user.email,
    );
  });

  it("refuses a disabled user and drops them from the session", async () => {
    const bob = await t.db.user.update({ where: { email: "bob@acme.test" }, data: { disabledAt: new Date() } });
    expect(await authenticate(t.db, { email: bob.email, password: DEMO_PASSWORD }, "ip-d", 0)).toBeNull();
    expect(await loadSessionUser(t.db, bob.id)).toBeNull();
  });

  it("puts the platform role and memberships in the session", async () => {
    const alice = await t.db.user.findUniqueOrThrow({ where: { email: DEMO_USERS.user.email } });
    const session = await loadSessionUser(t.db, alice.id);
    expect(session?.platformRole).toBe("user");
    expect(session?.memberships).toEqual([expect.objectContaining({ tenantSlug: "acme", tenantName: "Acme", role: "owner" })]);
  });
});
