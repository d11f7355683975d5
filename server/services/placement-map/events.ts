import type { Db } from "../../db/client";
import type { Prisma } from "../../db/generated/client";

export const placementEventSelect = {
  id: true,
  at: true,
  kind: true,
  stateServerId: true,
  ordinal: true,
  fromHostId: true,
  toHostId: true,
  reason: true,
  causeType: true,
  actorId: true,
} satisfies Prisma.PlacementEventSelect;

type EventRow = Prisma.PlacementEventGetPayload<{ select: typeof placementEventSelect }>;

/** Placement events with host, server and actor names instead of ids. */
export async function nameEvents(db: Db, rows: EventRow[]) {
  const hostIds = [...new Set(rows.flatMap((r) => [r.fromHostId, r.toHostId]).filter((x): x is string => !!x))];
  const serverIds = [...new Set(rows.map((r) => r.stateServerId))];
  const actorIds = [...new Set(rows.flatMap((r) => (r.actorId ? [r.actorId] : [])))];
  const [hosts, servers, users] = await Promise.all([
    db.host.findMany({ where: { id: { in: hostIds } }, select: { id: true, name: true } }),
    db.stateServer.findMany({ where: { id: { in: serverIds } }, select: { id: true, name: true } }),
    db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true } }),
  ]);
  const host = new Map(hosts.map((h) => [h.id, h.name]));
  const server = new Map(servers.map((s) => [s.id, s.name]));
  const user = new Map(users.map((u) => [u.id, u.email]));
  return rows.map((r) => ({
    id: r.id.toString(),
    at: r.at,
    kind: r.kind,
    server: server.get(r.stateServerId) ?? r.stateServerId,
    ordinal: r.ordinal,
    from: r.fromHostId ? (host.get(r.fromHostId) ?? r.fromHostId) : null,
    to: r.toHostId ? (host.get(r.toHostId) ?? r.toHostId) : null,
    reason: r.reason,
    cause: r.causeType,
    actor: r.actorId ? (user.get(r.actorId) ?? r.actorId) : r.causeType,
  }));
}
