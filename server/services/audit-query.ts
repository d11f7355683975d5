import type { AuditFilter } from "../contracts/audit";
import type { UserCaller } from "../auth/caller";
import type { Db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { openCursor, sealCursor } from "../auth/cursor";
import { requireFleetReader } from "../auth/caller";
import { auditTargetNames } from "./audit-names";

const empty = (s: string | undefined) => !s || s.length === 0;

/** The Prisma filter for the audit page's fields: actor and action match by prefix, the rest exactly. */
export function auditWhere(filter: AuditFilter): Prisma.AuditEventWhereInput {
  return {
    ...(empty(filter.actor) ? {} : { actorLabel: { startsWith: filter.actor, mode: "insensitive" as const } }),
    ...(empty(filter.tenantId) ? {} : { tenantId: filter.tenantId }),
    ...(empty(filter.action) ? {} : { action: { startsWith: filter.action } }),
    ...(empty(filter.targetType) ? {} : { targetType: filter.targetType }),
    ...(empty(filter.targetId) ? {} : { targetId: filter.targetId }),
    ...(filter.from || filter.to ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lte: filter.to } : {}) } } : {}),
  };
}

const listSelect = {
  id: true,
  at: true,
  actorType: true,
  actorLabel: true,
  action: true,
  targetType: true,
  targetId: true,
  tenantId: true,
  reason: true,
  requestId: true,
} satisfies Prisma.AuditEventSelect;

async function tenantNames(db: Db, ids: (string | null)[]) {
  const tenantIds = [...new Set(ids.flatMap((id) => (id ? [id] : [])))];
  const tenants = await db.tenant.findMany({ where: { id: { in: tenantIds } }, select: { id: true, name: true } });
  return new Map(tenants.map((t) => [t.id, t.name]));
}

/** Newest first, keyset-paged on the event id. */
export async function listAuditEventsFiltered(db: Db, caller: UserCaller, input: AuditFilter & { limit: number; cursor?: string | null }) {
  requireFleetReader(caller);
  // Audit events are platform-wide: every reader of the list sees the same rows.
  const after = input.cursor ? BigInt(openCursor("audit", "fleet", input.cursor)) : null;
  const where = auditWhere(input);
  const rows = await db.auditEvent.findMany({
    select: listSelect,
    where: after !== null ? { AND: [where, { id: { lt: after } }] } : where,
    orderBy: { id: "desc" },
    take: input.limit + 1,
  });
  const items = rows.slice(0, input.limit);
  const [names, targetNames] = await Promise.all([
    tenantNames(
      db,
      items.map((r) => r.tenantId),
    ),
    auditTargetNames(db, items),
  ]);
  return {
    items: items.map(({ id, ...row }) => ({
      ...row,
      id: id.toString(),
      tenantName: row.tenantId ? (names.get(row.tenantId) ?? null) : null,
      targetName: targetNames.get(id.toString()) ?? null,
    })),
    nextCursor: rows.length > input.limit && items.length ? sealCursor("audit", "fleet", items.at(-1)!.id.toString()) : null,
  };
}

const CSV_COLUMNS = [
  "id",
  "at",
  "actorType",
  "actorLabel",
  "action",
  "targetType",
  "targetId",
  "tenantId",
  "tenantName",
  "reason",
  "requestId",
  "before",
  "after",
  "hash",
] as const;

function csvCell(value: unknown): string {
  const s = value == null ? "" : typeof value === "string" ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);
  // Quote always; neutralise spreadsheet formulas (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** CSV lines (header first) for every event matching the filter, read in pages so memory stays flat. */
export async function* auditCsv(db: Db, caller: UserCaller, filter: AuditFilter, pageSize = 500): AsyncGenerator<string> {
  requireFleetReader(caller);
  yield `${CSV_COLUMNS.join(",")}\n`;
  const where = auditWhere(filter);
  let cursor: bigint | null = null;
  for (;;) {
    const rows: Awaited<ReturnType<typeof db.auditEvent.findMany>> = await db.auditEvent.findMany({
      where: cursor ? { AND: [where, { id: { lt: cursor } }] } : where,
      orderBy: { id: "desc" },
      take: pageSize,
    });
    if (rows.length === 0) return;
    const names = await tenantNames(
      db,
      rows.map((r) => r.tenantId),
    );
    yield rows
      .map((r) => {
        const row: Record<string, unknown> = { ...r, id: r.id.toString(), tenantName: r.tenantId ? names.get(r.tenantId) : null };
        return `${CSV_COLUMNS.map((c) => csvCell(row[c])).join(",")}\n`;
      })
      .join("");
    cursor = rows.at(-1)!.id;
    if (rows.length < pageSize) return;
  }
}
