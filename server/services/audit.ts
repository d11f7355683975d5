import { createHash } from "node:crypto";
import { type UserCaller } from "../auth/caller";
import type { Db, Tx } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { AppError } from "../errors";
import type { PageInput } from "./pagination";
import { requireFleetReader } from "./fleet";
import { lockForTransaction } from "../db/locks";

export const GENESIS_HASH = "0".repeat(64);

export interface AuditInput {
  actorType: "user" | "agent" | "controller" | "system";
  actorId?: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId?: string | null;
  tenantId?: string | null;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
  reason?: string | null;
  requestId?: string | null;
}

/** JSON with object keys sorted, so a hash survives jsonb's own key order when re-read for verification. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Plain JSON (dates as ISO strings, no undefined), exactly what jsonb will store. */
const plainJson = (v: Prisma.InputJsonValue | null | undefined) =>
  v == null ? null : (JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue);

export function auditHash(prevHash: string, event: AuditInput & { at: Date }): string {
  const canonical = canonicalJson([
    prevHash,
    event.at.toISOString(),
    event.actorType,
    event.actorId ?? null,
    event.actorLabel,
    event.action,
    event.targetType,
    event.targetId ?? null,
    event.tenantId ?? null,
    event.before ?? null,
    event.after ?? null,
    event.reason ?? null,
    event.requestId ?? null,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

/** Appends one event to the chain; call it inside the transaction that makes the change. */
export async function recordAudit(tx: Tx, event: AuditInput): Promise<void> {
  await lockForTransaction(tx, "auditChain");
  const last = await tx.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date();
  event = { ...event, before: plainJson(event.before), after: plainJson(event.after) };
  await tx.auditEvent.create({
    data: {
      ...event,
      before: event.before ?? undefined,
      after: event.after ?? undefined,
      at,
      prevHash,
      hash: auditHash(prevHash, { ...event, at }),
    },
  });
}

export async function listAuditEvents(db: Db, caller: UserCaller, page: PageInput) {
  requireFleetReader(caller);
  if (page.cursor && !/^\d{1,19}$/.test(page.cursor)) {
    throw new AppError("VALIDATION", "cursor: not a cursor returned by this list", { field: "cursor" });
  }
  const rows = await db.auditEvent.findMany({
    select: { id: true, at: true, actorLabel: true, action: true, targetType: true, targetId: true, tenantId: true },
    where: page.cursor ? { id: { lt: BigInt(page.cursor) } } : {},
    orderBy: { id: "desc" },
    take: page.limit + 1,
  });
  const items = rows.slice(0, page.limit);
  const tenantIds = [...new Set(items.flatMap((r) => (r.tenantId ? [r.tenantId] : [])))];
  const tenants = await db.tenant.findMany({ where: { id: { in: tenantIds } }, select: { id: true, name: true } });
  const names = new Map(tenants.map((t) => [t.id, t.name]));
  return {
    items: items.map(({ id, tenantId, ...row }) => ({
      ...row,
      id: id.toString(),
      tenantName: tenantId ? (names.get(tenantId) ?? null) : null,
    })),
    nextCursor: rows.length > page.limit ? (items.at(-1)?.id.toString() ?? null) : null,
  };
}
