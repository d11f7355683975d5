import type { UserCaller } from "../auth/caller";
import { tenantScope } from "../auth/caller";
import { changeFeedOf, ReadCache } from "../db/change-feed";
import type { Db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { derivedOnce, sharedOutput } from "../shared-output";
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
  tenant: { select: { name: true, slug: true } },
  stateServer: { select: { name: true } },
} satisfies Prisma.EnvironmentSelect;

const listPages = new ReadCache<Prisma.EnvironmentGetPayload<{ select: typeof environmentListSelect }>[]>(
  ["Environment", "Tenant", "StateServer"],
  5_000,
);
const totals = new ReadCache<number>(["Environment"], 1_000);

/** Environments the caller may see: their tenants', or all for admins and support. */
export async function listEnvironments(db: Db, caller: UserCaller, page: PageInput) {
  const where = tenantScope(caller);
  // Pages are shared by callers with the same scope, while Environment and Tenant are unchanged.
  const rows = await listPages.get(changeFeedOf(db), JSON.stringify([where, page.limit, page.cursor ?? null]), () =>
    db.environment.findMany({ where, select: environmentListSelect, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...pageArgs(page) }),
  );
  const total = await totals.get(changeFeedOf(db), JSON.stringify(where), () => db.environment.count({ where }));
  // One (shared, frozen) answer per cached page and total.
  return derivedOnce(rows, `page:${total}`, () => shapePage(rows, page.limit, total));
}

function shapePage(rows: Prisma.EnvironmentGetPayload<{ select: typeof environmentListSelect }>[], limit: number, total: number) {
  const { items, nextCursor } = toPage(rows, limit);
  return sharedOutput({
    items: items.map(({ tenant, stateServer, haLevel, ...env }) => ({
      ...env,
      haLevel: haLevel as 1 | 3 | 5,
      tenantName: tenant.name,
      tenantSlug: tenant.slug,
      stateServerName: stateServer?.name ?? null,
    })),
    nextCursor,
    total,
  });
}
