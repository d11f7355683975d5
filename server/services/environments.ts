import type { UserCaller } from "../auth/caller";
import { tenantScope } from "../auth/caller";
import type { Db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { type PageInput, pageArgs, toPage } from "./pagination";

export const environmentListSelect = {
  id: true,
  name: true,
  stage: true,
  haLevel: true,
  status: true,
  tenantId: true,
  stateServerId: true,
  createdAt: true,
  tenant: { select: { name: true } },
} satisfies Prisma.EnvironmentSelect;

/** Environments the caller may see: their tenants', or all for admins and support. */
export async function listEnvironments(db: Db, caller: UserCaller, page: PageInput) {
  const rows = await db.environment.findMany({
    where: tenantScope(caller),
    select: environmentListSelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...pageArgs(page),
  });
  const { items, nextCursor } = toPage(rows, page.limit);
  return {
    items: items.map(({ tenant, haLevel, ...env }) => ({
      ...env,
      haLevel: haLevel as 1 | 3 | 5,
      tenantName: tenant.name,
    })),
    nextCursor,
  };
}
