import type { UserCaller } from "../auth/caller";
import type { Db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { auditHash, GENESIS_HASH } from "./audit";
import { requireFleetReader } from "../auth/caller";

export type ChainReport =
  | { ok: true; events: number; lastHash: string }
  | { ok: false; events: number; brokenAt: string; reason: "prev-hash-mismatch" | "hash-mismatch"; message: string };

/**
 * Walks the audit chain in id order and recomputes every hash. Reports the first
 * broken link: an event whose prevHash is not its predecessor's hash (a row was
 * removed or reordered), or whose content no longer matches its hash (edited).
 */
export async function verifyAuditChain(db: Db, batch = 1000): Promise<ChainReport> {
  let prev = GENESIS_HASH;
  let cursor = BigInt(0);
  let events = 0;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { id: { gt: cursor } }, orderBy: { id: "asc" }, take: batch });
    for (const r of rows) {
      if (r.prevHash !== prev) {
        return {
          ok: false,
          events,
          brokenAt: r.id.toString(),
          reason: "prev-hash-mismatch",
          message: `event ${r.id} (${r.action}) does not follow the event before it: an event was removed, inserted or reordered`,
        };
      }
      const expected = auditHash(r.prevHash, {
        ...r,
        before: r.before as Prisma.InputJsonValue | null,
        after: r.after as Prisma.InputJsonValue | null,
      });
      if (expected !== r.hash) {
        return {
          ok: false,
          events,
          brokenAt: r.id.toString(),
          reason: "hash-mismatch",
          message: `event ${r.id} (${r.action}) was changed after it was written`,
        };
      }
      prev = r.hash;
      events++;
    }
    if (rows.length < batch) return { ok: true, events, lastHash: prev };
    cursor = rows.at(-1)!.id;
  }
}

export async function verifyAuditChainFor(db: Db, caller: UserCaller) {
  requireFleetReader(caller);
  return verifyAuditChain(db);
}
