import { AppError, notFound } from "../errors";
import { hashSecret } from "./password";
import type { AppSession, PlatformRole, TenantRole } from "./types";
import { TENANT_ROLES } from "./types";

/**
 * The one authorization module. Who is calling, as services see it, and every
 * rule about what a role may do: the tRPC procedure tiers (server/api/trpc.ts),
 * services, route handlers (withCaller in server/http/with-caller.ts), pages
 * (components/shell/require-role.ts) and the agent protocol (hostFromCredential)
 * all ask the functions below; nothing else compares roles.
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

/** Whether the caller holds at least `minRole` in the tenant (platform admins hold every role; support holds "viewer"). */
export function hasTenantRole(caller: UserCaller, tenantId: string, minRole: TenantRole): boolean {
  if (isAdmin(caller)) return true;
  if (caller.platformRole === "support" && minRole === "viewer") return true;
  const role = caller.tenantRoles.get(tenantId);
  return role !== undefined && rank(role) >= rank(minRole);
}

/** The tenants where the caller holds at least `minRole` themselves (memberships only, not platform roles). */
export const tenantsWithRole = (caller: UserCaller, minRole: TenantRole): string[] =>
  [...caller.tenantRoles].filter(([, role]) => rank(role) >= rank(minRole)).map(([id]) => id);

/**
 * Access tiers, weakest first: who may call a procedure or route at all
 * (tenant-scoped checks come on top, in services, through requireTenantRole).
 */
export const TIERS = ["public", "authed", "support", "admin"] as const;
export type Tier = (typeof TIERS)[number];

/** Throws UNAUTHENTICATED (no caller) or FORBIDDEN (role too weak) unless the caller passes `tier`. */
export function requireTier(caller: UserCaller | null, tier: Tier): asserts caller is UserCaller {
  if (tier === "public") return;
  if (!caller) throw new AppError("UNAUTHENTICATED", "Sign in to continue (your session may have expired)");
  if (tier === "support") requireFleetReader(caller);
  if (tier === "admin") requireAdmin(caller);
}

/** Fleet-wide reads (tenants, zones, hosts, policies, audit, the placement map): administrators and support staff. */
export function requireFleetReader(caller: UserCaller): void {
  if (!readsEverything(caller)) throw new AppError("FORBIDDEN", "Only support staff and administrators can see this");
}

/** Whether a session (a page's) is a platform administrator's: what pages ask before showing controls that change things. */
export const isAdminSession = (session: AppSession) => isAdmin(callerFromSession(session));

/**
 * Host agents: the credential in `Authorization: Bearer <credential>`, as it is
 * stored and looked up (its SHA-256); "" when there is none. The agent protocol
 * (server/agent-api) authenticates every host through this.
 */
export function hostCredentialHash(authorization: string | null | undefined): string {
  const credential = authorization?.startsWith("Bearer ") ? authorization.slice(7).trim() : "";
  return credential ? hashSecret(credential) : "";
}

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
