import { AppError, notFound } from "../errors";
import type { AppSession, PlatformRole, TenantRole } from "./types";
import { TENANT_ROLES } from "./types";

/**
 * Who is calling, as services see it. The one place where "may this caller do
 * this to that tenant's data?" is decided.
 */
export interface UserCaller {
  userId: string;
  email: string;
  name: string;
  platformRole: PlatformRole;
  tenantRoles: ReadonlyMap<string, TenantRole>;
}

export function callerFromSession(session: AppSession): UserCaller {
  return {
    userId: session.user.id,
    email: session.user.email,
    name: session.user.name,
    platformRole: session.user.platformRole,
    tenantRoles: new Map(session.user.memberships.map((m) => [m.tenantId, m.role])),
  };
}

const rank = (role: TenantRole) => TENANT_ROLES.length - TENANT_ROLES.indexOf(role);

/** Admins and support staff read everything; support changes nothing but annotations. */
export const readsEverything = (caller: UserCaller) => caller.platformRole === "admin" || caller.platformRole === "support";

export const isAdmin = (caller: UserCaller) => caller.platformRole === "admin";

/** Platform-wide changes (tenants, zones, rules, hosts): administrators only. */
export function requireAdmin(caller: UserCaller): void {
  if (!isAdmin(caller)) {
    throw new AppError(
      "FORBIDDEN",
      readsEverything(caller) ? "Support staff can read but not change this" : "Only administrators can do this",
    );
  }
}

/** A Prisma `where` fragment that limits tenant-owned rows to what the caller may read. */
export function tenantScope(caller: UserCaller): { tenantId?: { in: string[] } } {
  return readsEverything(caller) ? {} : { tenantId: { in: [...caller.tenantRoles.keys()] } };
}

/**
 * Requires at least `minRole` in the tenant. A caller outside the tenant gets
 * NOT_FOUND (a foreign id never leaks); a member with too weak a role, FORBIDDEN.
 * Admins pass; support passes only for reading ("viewer").
 */
export function requireTenantRole(caller: UserCaller, tenantId: string, minRole: TenantRole): void {
  if (isAdmin(caller)) return;
  if (caller.platformRole === "support" && minRole === "viewer") return;
  const role = caller.tenantRoles.get(tenantId);
  if (!role && caller.platformRole === "support") {
    throw new AppError("FORBIDDEN", "Support staff can read tenant data but not change it");
  }
  if (!role) throw notFound("Tenant");
  if (rank(role) < rank(minRole)) {
    throw new AppError("FORBIDDEN", `This needs the ${minRole} role in the tenant; you are ${role}`);
  }
}
