import type { UserCaller } from "../../auth/caller";
import type { Db } from "../../db/client";
import { notFound } from "../../errors";
import { requireFleetReader } from "../../auth/caller";
import { nameEvents, placementEventSelect } from "./events";

/** Everything the host drawer shows: the host, its replicas and whom they serve, and recent events. */
export async function hostDetail(db: Db, caller: UserCaller, hostId: string) {
  requireFleetReader(caller);
  const host = await db.host.findUnique({
    where: { id: hostId },
    select: {
      id: true,
      name: true,
      state: true,
      failureDomain: true,
      cpuMillis: true,
      memoryMiB: true,
      maxReplicas: true,
      lastHeartbeatAt: true,
      address: true,
      zone: { select: { name: true } },
      dedicatedTenant: { select: { name: true } },
      environment: { select: { name: true, tenant: { select: { name: true } } } },
      replicas: {
        select: {
          id: true,
          ordinal: true,
          state: true,
          startedAt: true,
          restarts: true,
          failureReason: true,
          stateServer: {
            select: {
              name: true,
              cpuMillis: true,
              memoryMiB: true,
              stage: true,
              environments: {
                select: { name: true, stage: true, tenant: { select: { name: true, slug: true } } },
                orderBy: { name: "asc" },
                take: 20,
              },
            },
          },
        },
        orderBy: [{ stateServer: { name: "asc" } }, { ordinal: "asc" }],
      },
    },
  });
  if (!host) throw notFound("Host");
  const events = await db.placementEvent.findMany({
    where: { OR: [{ fromHostId: hostId }, { toHostId: hostId }] },
    select: placementEventSelect,
    orderBy: { id: "desc" },
    take: 15,
  });
  const used = host.replicas.reduce((acc, r) => ({ cpu: acc.cpu + r.stateServer.cpuMillis, mem: acc.mem + r.stateServer.memoryMiB }), {
    cpu: 0,
    mem: 0,
  });
  return {
    id: host.id,
    name: host.name,
    state: host.state,
    zone: host.zone.name,
    failureDomain: host.failureDomain,
    address: host.address,
    lastHeartbeatAt: host.lastHeartbeatAt,
    dedicatedTenant: host.dedicatedTenant?.name ?? null,
    environment: host.environment ? { name: host.environment.name, tenant: host.environment.tenant.name } : null,
    capacity: { cpuMillis: host.cpuMillis, memoryMiB: host.memoryMiB, slots: host.maxReplicas },
    used: { cpuMillis: used.cpu, memoryMiB: used.mem, slots: host.replicas.length },
    replicas: host.replicas.map((r) => ({
      id: r.id,
      server: r.stateServer.name,
      ordinal: r.ordinal,
      state: r.state,
      startedAt: r.startedAt,
      restarts: r.restarts,
      failureReason: r.failureReason,
      stage: r.stateServer.stage,
      environments: r.stateServer.environments.map((e) => ({
        name: e.name,
        stage: e.stage,
        tenant: e.tenant.name,
        tenantSlug: e.tenant.slug,
      })),
    })),
    events: await nameEvents(db, events),
  };
}
