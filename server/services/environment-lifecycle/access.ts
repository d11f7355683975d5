import { hasTenantRole, readsEverything, requireTenantRole, type UserCaller } from "../../auth/caller";
import type { Db, Tx } from "../../db/client";
import { AppError, notFound } from "../../errors";
import type { TenantRole } from "../../auth/types";

/** Whether the caller may see an environment of this tenant (otherwise it is NOT_FOUND to them). */
export const canRead = (caller: UserCaller, tenantId: string) => hasTenantRole(caller, tenantId, "viewer");

/**
 * Loads an environment the caller may see, or NOT_FOUND (a foreign id never
 * leaks). With `minRole`, the caller also needs that role in its tenant.
 */
export async function environmentFor(db: Db | Tx, caller: UserCaller, id: string, minRole?: TenantRole) {
  const env = await db.environment.findUnique({
    where: { id },
    select: { id: true, name: true, tenantId: true, stage: true, haLevel: true, status: true, zoneId: true, stateServerId: true },
  });
  if (!env || !canRead(caller, env.tenantId)) throw notFound("Environment");
  if (minRole) requireTenantRole(caller, env.tenantId, minRole);
  return env;
}

/** Resolves a name to an id within the caller's tenants (the CLI's way to address an environment). */
export async function environmentIdByName(db: Db, caller: UserCaller, name: string, tenantId?: string) {
  const tenants = tenantId ? [tenantId] : [...caller.tenantRoles.keys()];
  const rows = await db.environment.findMany({
    where: { name, ...(readsEverything(caller) && !tenantId ? {} : { tenantId: { in: tenants } }) },
    select: { id: true, tenantId: true },
    take: 2,
  });
  if (!rows.length || (!readsEverything(caller) && !caller.tenantRoles.has(rows[0]!.tenantId))) throw notFound(`Environment ${name}`);
  if (rows.length > 1) {
    throw new AppError("VALIDATION", `name: ${name} exists in several tenants; name the tenant`, { field: "tenantId" });
  }
  return rows[0]!.id;
}
