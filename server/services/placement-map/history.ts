import type { UserCaller } from "../../auth/caller";
import { openCursor, sealCursor } from "../../auth/cursor";
import type { Db } from "../../db/client";
import type { Prisma } from "../../db/generated/client";
import { requireFleetReader } from "../../auth/caller";
import { nameEvents, placementEventSelect } from "./events";

export interface HistoryInput {
  kinds?: ("placed" | "moved" | "failed_over" | "drained" | "unplaced" | "stopped")[];
  causes?: ("user" | "agent" | "controller" | "system")[];
  server?: string;
  host?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string | null;
}

/** The placement timeline, newest first, keyset-paged by event id. */
export async function placementHistory(db: Db, caller: UserCaller, input: HistoryInput) {
  requireFleetReader(caller);
  const where: Prisma.PlacementEventWhereInput = {};
  if (input.kinds?.length) where.kind = { in: input.kinds };
  if (input.causes?.length) where.causeType = { in: input.causes };
  if (input.from || input.to) where.at = { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lte: input.to } : {}) };
  if (input.cursor) where.id = { lt: BigInt(openCursor("placement-history", "fleet", input.cursor)) };
  if (input.server) {
    const s = await db.stateServer.findUnique({ where: { name: input.server }, select: { id: true } });
    where.stateServerId = s?.id ?? "-";
  }
  if (input.host) {
    const h = await db.host.findUnique({ where: { name: input.host }, select: { id: true } });
    where.OR = [{ fromHostId: h?.id ?? "-" }, { toHostId: h?.id ?? "-" }];
  }
  const rows = await db.placementEvent.findMany({ where, select: placementEventSelect, orderBy: { id: "desc" }, take: input.limit + 1 });
  const items = rows.slice(0, input.limit);
  return {
    items: await nameEvents(db, items),
    nextCursor: rows.length > input.limit && items.length ? sealCursor("placement-history", "fleet", items.at(-1)!.id.toString()) : null,
  };
}
