/**
 * The authorization matrix: every tRPC procedure, called as every role, with ids
 * from a FOREIGN tenant (Acme's users get Globex's ids, Globex's owner gets
 * Acme's). The procedures are enumerated from the router itself, so a new
 * procedure without an entry below fails this test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/db";
import {
  callProcedure,
  createMatrixWorld,
  foreignFor as foreignTenant,
  MATRIX,
  procedurePaths,
  type Caller,
  type Fx,
  type Outcome,
  type Role,
  ROLES,
} from "../testing/procedure-matrix";

let t: TestDatabase;
let fx: Fx;
let callers: Map<Role, Caller>;

const outcome = async (role: Role, path: string, input: unknown) => {
  const { code, message } = await callProcedure(callers.get(role)!, path, input);
  return { code, message };
};

beforeAll(async () => {
  t = await createTestDatabase();
  ({ fx, callers } = await createMatrixWorld(t.db));
});
afterAll(() => t.drop());

const foreignFor = (role: Role) => foreignTenant(fx, role);

describe("authorization matrix", () => {
  it("has an entry for every procedure of the router", () => {
    const missing = procedurePaths().filter((p) => !MATRIX[p]);
    expect(
      missing,
      `Add an entry to MATRIX in server/testing/procedure-matrix.ts for: ${missing.join(", ")} (who may call it, with which input)`,
    ).toEqual([]);
    const stale = Object.keys(MATRIX).filter((p) => !procedurePaths().includes(p));
    expect(stale, "MATRIX lists procedures the router no longer has").toEqual([]);
  });

  it("every role gets exactly the expected allow/deny with a foreign tenant's ids", async () => {
    const mismatches: string[] = [];
    for (const path of procedurePaths()) {
      const entry = MATRIX[path];
      if (!entry) continue;
      for (const role of ROLES) {
        const input = entry.input ? await entry.input(fx, foreignFor(role)) : undefined;
        const got = await outcome(role, path, input);
        if (got.code !== entry.expect[role])
          mismatches.push(`${path} as ${role}: expected ${entry.expect[role]}, got ${got.code}${got.message ? ` (${got.message})` : ""}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("tenant roles get what their role allows in their own tenant", async () => {
    const mismatches: string[] = [];
    for (const path of procedurePaths()) {
      const entry = MATRIX[path];
      for (const [role, expected] of Object.entries(entry?.own ?? {}) as [Role, Outcome][]) {
        const got = await outcome(role, path, await entry!.input!(fx, fx.acme));
        if (got.code !== expected)
          mismatches.push(
            `${path} as ${role} (own tenant): expected ${expected}, got ${got.code}${got.message ? ` (${got.message})` : ""}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("never leaks a foreign tenant's rows through lists", async () => {
    for (const role of ["acmeOwner", "acmeMember", "acmeViewer"] as const) {
      const list = await callers.get(role)!.environment.list({ limit: 100 });
      expect(
        list.items.every((e) => e.tenantId === fx.acme.tenantId),
        role,
      ).toBe(true);
    }
    const gina = await callers.get("globexOwner")!.environment.list({ limit: 100 });
    expect(gina.items.map((e) => e.tenantId)).not.toContain(fx.acme.tenantId);
  });

  it("gives the same NOT_FOUND for a foreign tenant as for a tenant that does not exist", async () => {
    const foreign = await outcome("acmeOwner", "tenant.get", { tenantId: fx.globex.tenantId });
    const missing = await outcome("acmeOwner", "tenant.get", { tenantId: "does-not-exist" });
    expect(foreign).toEqual(missing);
  });
});
