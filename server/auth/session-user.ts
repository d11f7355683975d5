import type { Db } from "../db/client";
import { ReadModel } from "../db/read-model";
import type { AppSession } from "./types";

/** Loads the signed-in user's current role and memberships (null when gone or disabled). */
export async function loadSessionUser(db: Db, userId: string): Promise<AppSession["user"] | null> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      platformRole: true,
      disabledAt: true,
      memberships: {
        select: { role: true, tenant: { select: { id: true, slug: true, name: true } } },
        orderBy: { tenant: { name: "asc" } },
      },
    },
  });
  if (!user || user.disabledAt) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    platformRole: user.platformRole,
    memberships: user.memberships.map((m) => ({
      tenantId: m.tenant.id,
      tenantSlug: m.tenant.slug,
      tenantName: m.tenant.name,
      role: m.role,
    })),
  };
}

const sessionUsers = new ReadModel<AppSession["user"] | null>("sessionUser");

/**
 * loadSessionUser for every request: served from memory while User,
 * Membership and Tenant are unchanged (a disabled user or a changed role drops
 * the cached answer when Postgres notifies the change).
 */
export function requestSessionUser(db: Db, userId: string): Promise<AppSession["user"] | null> {
  return sessionUsers.read(db, userId, () => loadSessionUser(db, userId));
}
