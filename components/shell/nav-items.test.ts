import { describe, expect, it } from "vitest";
import type { PlatformRole } from "@/server/auth/types";
import { canAccess, isActive, navItemsFor, type NavHref } from "./nav-items";

const ALL: NavHref[] = [
  "/environments",
  "/placement",
  "/admin/tenants",
  "/admin/zones",
  "/admin/hosts",
  "/admin/policies",
  "/admin/compliance",
  "/admin/audit",
  "/admin/settings",
];

const labels = (role: PlatformRole) => navItemsFor(role).flatMap((g) => g.items.map((i) => i.label));

describe("navItemsFor", () => {
  it("gives a user only Environments", () => {
    expect(labels("user")).toEqual(["Environments"]);
  });

  it("gives support the inspection pages but not zones or policies", () => {
    expect(labels("support")).toEqual(["Environments", "Placement", "Tenants", "Hosts", "Compliance", "Audit"]);
  });

  it("gives an admin everything, with the admin pages under an Admin heading", () => {
    const groups = navItemsFor("admin");
    expect(groups.map((g) => g.label)).toEqual([null, "Admin"]);
    expect(groups[0]?.items.map((i) => i.label)).toEqual(["Environments", "Placement"]);
    expect(groups[1]?.items.map((i) => i.label)).toEqual(["Tenants", "Zones", "Hosts", "Policies", "Compliance", "Audit", "Settings"]);
  });

  it("returns copies that callers cannot use to change the table", () => {
    navItemsFor("user")[0]?.items.push({ href: "/admin/zones", label: "Zones" });
    expect(labels("user")).toEqual(["Environments"]);
  });
});

describe("canAccess", () => {
  it.each<[PlatformRole, NavHref[]]>([
    ["user", ["/environments"]],
    ["support", ["/environments", "/placement", "/admin/tenants", "/admin/hosts", "/admin/compliance", "/admin/audit"]],
    ["admin", ALL],
  ])("%s may open exactly its nav pages", (role, allowed) => {
    for (const href of ALL) expect(canAccess(role, href), `${role} ${href}`).toBe(allowed.includes(href));
  });
});

describe("isActive", () => {
  it("matches the page and its sub-pages, not siblings sharing a prefix", () => {
    expect(isActive("/admin/hosts", "/admin/hosts")).toBe(true);
    expect(isActive("/admin/hosts", "/admin/hosts/h1")).toBe(true);
    expect(isActive("/admin/hosts", "/admin/hostsx")).toBe(false);
    expect(isActive("/environments", "/placement")).toBe(false);
  });
});
