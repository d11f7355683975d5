import { describe, expect, it } from "vitest";
import { findAppError } from "../errors";
import { hasTenantRole, requireTenantRole, requireTier, tenantScope, tenantsWithRole, type UserCaller } from "./caller";
import type { PlatformRole, TenantRole } from "./types";

const caller = (platformRole: PlatformRole, roles: Record<string, TenantRole> = {}): UserCaller => ({
  userId: "u",
  email: "u@example.com",
  name: "U",
  platformRole,
  tenantRoles: new Map(Object.entries(roles)),
});

const outcome = (fn: () => void) => {
  try {
    fn();
    return "allow";
  } catch (error) {
    return findAppError(error)?.code ?? "other";
  }
};

describe("requireTenantRole", () => {
  it.each([
    ["admin", {}, "owner", "allow"],
    ["support", {}, "viewer", "allow"],
    ["support", {}, "member", "FORBIDDEN"],
    ["user", { t1: "owner" }, "owner", "allow"],
    ["user", { t1: "member" }, "owner", "FORBIDDEN"],
    ["user", { t1: "member" }, "member", "allow"],
    ["user", { t1: "viewer" }, "member", "FORBIDDEN"],
    ["user", { t1: "viewer" }, "viewer", "allow"],
    ["user", { t2: "owner" }, "viewer", "NOT_FOUND"],
  ] as const)("%s with %o asking %s in t1 → %s", (role, roles, min, expected) => {
    expect(outcome(() => requireTenantRole(caller(role, roles), "t1", min))).toBe(expected);
  });
});

describe("tenantScope", () => {
  it("limits users to their tenants and lets staff read everything", () => {
    expect(tenantScope(caller("user", { a: "viewer", b: "owner" }))).toEqual({ tenantId: { in: ["a", "b"] } });
    expect(tenantScope(caller("user"))).toEqual({ tenantId: { in: [] } });
    expect(tenantScope(caller("support"))).toEqual({});
    expect(tenantScope(caller("admin"))).toEqual({});
  });
});

describe("requireTier", () => {
  it.each([
    [null, "authed", "UNAUTHENTICATED"],
    [null, "public", "allow"],
    ["user", "authed", "allow"],
    ["user", "support", "FORBIDDEN"],
    ["support", "support", "allow"],
    ["support", "admin", "FORBIDDEN"],
    ["admin", "admin", "allow"],
  ] as const)("%s at tier %s → %s", (role, tier, expected) => {
    expect(outcome(() => requireTier(role ? caller(role) : null, tier))).toBe(expected);
  });
});

describe("hasTenantRole agrees with requireTenantRole", () => {
  it("for every platform role, tenant role and minimum", () => {
    for (const platform of ["admin", "support", "user"] as const)
      for (const held of [undefined, "owner", "member", "viewer"] as const)
        for (const min of ["owner", "member", "viewer"] as const) {
          const c = caller(platform, held ? { t1: held } : {});
          expect(hasTenantRole(c, "t1", min), `${platform} ${held} ${min}`).toBe(
            outcome(() => requireTenantRole(c, "t1", min)) === "allow",
          );
        }
  });

  it("tenantsWithRole lists the caller's own tenants at or above the role", () => {
    expect(tenantsWithRole(caller("user", { a: "owner", b: "member", c: "viewer" }), "member").sort()).toEqual(["a", "b"]);
    expect(tenantsWithRole(caller("admin"), "viewer")).toEqual([]);
  });
});
