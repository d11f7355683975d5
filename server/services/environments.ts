import type { UserCaller } from "../auth/caller";
import { tenantScope } from "../auth/caller";
import type { Db } from "../db/client";
import { ReadModel } from "../db/read-model";
import type { Prisma } from "../db/generated/client";
import { derivedOnce, sharedOutput } from "../shared-output";
import { type CursorScope, type PageInput, pageArgs, toPage } from "./pagination";
import type { HaLevel } from "../core/model";

export const environmentListSelect = {
  id: true,
  name: true,
  stage: true,
  haLevel: true,
  status: true,
  tenantId: true,
  stateServerId: true,
  createdAt: true,
  tenant: { select: { name: true, slug: true } },
  stateServer: { select: { name: true } },
} satisfies Prisma.EnvironmentSelect;

const listPages = new ReadModel<Prisma.EnvironmentGetPayload<{ select: typeof environmentListSelect }>[]>("environmentListPage");
const totals = new ReadModel<number>("environmentListTotal");

/** Environments the caller may see: their tenants', or all for admins and support. */
export async function listEnvironments(db: Db, caller: UserCaller, page: PageInput) {
  const where = tenantScope(caller);
  // Callers who see the same tenants share pages, and so their cursors.
  const cursorScope = { list: "environments", scope: JSON.stringify(where) };
  // Pages are shared by callers with the same scope, while Environment and Tenant are unchanged.
  const rows = await listPages.read(db, JSON.stringify([where, page.limit, page.cursor ?? null]), () =>
    db.environment.findMany({
      where,
      select: environmentListSelect,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      ...pageArgs(page, cursorScope),
    }),
  );
  const total = await totals.read(db, JSON.stringify(where), () => db.environment.count({ where }));
  // One (shared, frozen) answer per cached page and total.
  return derivedOnce(rows, `page:${total}`, () => shapePage(rows, page.limit, cursorScope, total));
}

function shapePage(
  rows: Prisma.EnvironmentGetPayload<{ select: typeof environmentListSelect }>[],
  limit: number,
  cursorScope: CursorScope,
  total: number,
) {
  const { items, nextCursor } = toPage(rows, limit, cursorScope);
  return sharedOutput({
    items: items.map(({ tenant, stateServer, haLevel, ...env }) => ({
      ...env,
      haLevel: haLevel as HaLevel,
      tenantName: tenant.name,
      tenantSlug: tenant.slug,
      stateServerName: stateServer?.name ?? null,
    })),
    nextCursor,
    total,
  });
}
