/**
 * The authorization matrix: every tRPC procedure, called as every role, with ids
 * from a FOREIGN tenant (Acme's users get Globex's ids, Globex's owner gets
 * Acme's); every route handler under app/api and every agent API endpoint,
 * called as every role. Procedures are enumerated from the router, route
 * handlers from disk and agent endpoints from AGENT_ROUTES, so a new one
 * without an entry (MATRIX, ROUTES, AGENT_ENDPOINTS) fails this test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/db";
import { AGENT_ENDPOINTS, agentRoutePaths, routeFiles, routeMethods, routeModule, ROUTES, type RouteAccess } from "../testing/route-matrix";
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

/** What each role gets from an endpoint of each access class (user roles present an API token of their own). */
const ROUTE_EXPECT: Partial<Record<RouteAccess, Record<Role, number>>> = {
  public: { anonymous: 200, admin: 200, support: 200, acmeOwner: 200, acmeMember: 200, acmeViewer: 200, globexOwner: 200 },
  support: { anonymous: 401, admin: 200, support: 200, acmeOwner: 403, acmeMember: 403, acmeViewer: 403, globexOwner: 403 },
  // A user's token is not a host credential, nor a join token: nobody signed in gets anything from the agent protocol.
  "host credential": { anonymous: 401, admin: 401, support: 401, acmeOwner: 401, acmeMember: 401, acmeViewer: 401, globexOwner: 401 },
  "join token": { anonymous: 401, admin: 401, support: 401, acmeOwner: 401, acmeMember: 401, acmeViewer: 401, globexOwner: 401 },
};

describe("route handlers and agent endpoints", () => {
  it("every route handler and method under app/api is classified, and nothing classified is gone", async () => {
    const files = routeFiles();
    const missing: string[] = [];
    for (const route of files) {
      const methods = await routeMethods(route);
      for (const method of methods) if (!ROUTES[route]?.methods[method]) missing.push(`${method} ${route}`);
      for (const method of Object.keys(ROUTES[route]?.methods ?? {}))
        if (!methods.includes(method as never)) missing.push(`stale: ${method} ${route}`);
    }
    const stale = Object.keys(ROUTES).filter((r) => !files.includes(r));
    expect(missing, "classify these in ROUTES (server/testing/route-matrix.ts): who may call them").toEqual([]);
    expect(stale, "ROUTES lists route handlers that no longer exist").toEqual([]);
  });

  it("every agent API endpoint is classified", () => {
    expect(agentRoutePaths()).toEqual(Object.keys(AGENT_ENDPOINTS).sort());
  });

  it("every role gets exactly the expected status from each classified route", async () => {
    // The route handlers use the app's one client (and the heartbeat its hot pool): this file's database.
    (globalThis as unknown as { statehousePrisma?: unknown }).statehousePrisma = t.db;
    process.env.DATABASE_URL = t.url;
    const tokens = new Map<Role, string>();
    for (const role of ROLES)
      if (role !== "anonymous") tokens.set(role, (await callers.get(role)!.account.createToken({ name: "routes" })).token);
    const mismatches: string[] = [];
    for (const [route, entry] of Object.entries(ROUTES)) {
      const mod = await routeModule(route);
      for (const [method, access] of Object.entries(entry.methods) as [keyof typeof mod, RouteAccess][]) {
        const expected = ROUTE_EXPECT[access];
        if (!expected) continue; // tRPC (MATRIX above) and next-auth (its own CSRF-checked flow)
        for (const role of ROLES) {
          const token = tokens.get(role);
          const body =
            method === "POST"
              ? JSON.stringify({ joinToken: "j".repeat(20), name: "h", failureDomain: "a", cpuMillis: 1000, memoryMiB: 1024 })
              : undefined;
          const response = await mod[method]!(
            new Request(`http://app${route}`, {
              method,
              headers: {
                "content-type": "application/json",
                "x-forwarded-for": `10.66.0.${ROLES.indexOf(role)}`,
                ...(token ? { authorization: `Bearer ${token}` } : {}),
              },
              body,
            }),
          );
          await response.body?.cancel();
          if (response.status !== expected[role])
            mismatches.push(`${method} ${route} as ${role}: expected ${expected[role]}, got ${response.status}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
