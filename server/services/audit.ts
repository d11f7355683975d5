import { createHash } from "node:crypto";
import type { Tx } from "../db/client";
import type { Prisma } from "../db/generated/client";
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
