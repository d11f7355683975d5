import type { PlatformRole } from "@/server/auth/types";

export type NavHref =
  | "/environments"
  | "/placement"
  | "/admin/tenants"
  | "/admin/zones"
  | "/admin/hosts"
  | "/admin/policies"
  | "/admin/compliance"
  | "/admin/audit"
  | "/admin/settings";

export type NavItem = { href: NavHref; label: string };
/** A run of nav items; `label` is a visible group heading, or null for none. */
export type NavGroup = { label: string | null; items: NavItem[] };

const ENVIRONMENTS: NavItem = { href: "/environments", label: "Environments" };
const PLACEMENT: NavItem = { href: "/placement", label: "Placement" };
const TENANTS: NavItem = { href: "/admin/tenants", label: "Tenants" };
const ZONES: NavItem = { href: "/admin/zones", label: "Zones" };
const HOSTS: NavItem = { href: "/admin/hosts", label: "Hosts" };
const POLICIES: NavItem = { href: "/admin/policies", label: "Policies" };
const COMPLIANCE: NavItem = { href: "/admin/compliance", label: "Compliance" };
const AUDIT: NavItem = { href: "/admin/audit", label: "Audit" };
const SETTINGS: NavItem = { href: "/admin/settings", label: "Settings" };

/**
 * Who sees what. This table is also the page access rule: a page whose item a role
 * lacks renders the forbidden state (see require-role.ts). The API enforces the same
 * tiers independently; this only keeps the UI honest.
 */
const NAV_BY_ROLE: Record<PlatformRole, readonly NavGroup[]> = {
  user: [{ label: null, items: [ENVIRONMENTS] }],
  support: [{ label: null, items: [ENVIRONMENTS, PLACEMENT, TENANTS, HOSTS, COMPLIANCE, AUDIT] }],
  admin: [
    { label: null, items: [ENVIRONMENTS, PLACEMENT] },
    { label: "Admin", items: [TENANTS, ZONES, HOSTS, POLICIES, COMPLIANCE, AUDIT, SETTINGS] },
  ],
};

export function navItemsFor(role: PlatformRole): NavGroup[] {
  return NAV_BY_ROLE[role].map((group) => ({ label: group.label, items: [...group.items] }));
}

export function canAccess(role: PlatformRole, href: NavHref): boolean {
  return NAV_BY_ROLE[role].some((group) => group.items.some((item) => item.href === href));
}

/** The nav item for the current path is the one whose href is the path or a prefix of it. */
export function isActive(href: NavHref, pathname: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}
