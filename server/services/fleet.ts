import { requireFleetReader, type UserCaller } from "../auth/caller";
import type { Db } from "../db/client";
import { type PageInput, pageArgs, toPage } from "./pagination";

export async function listTenants(db: Db, caller: UserCaller, page: PageInput) {
  requireFleetReader(caller);
  const rows = await db.tenant.findMany({
    select: {
      id: true,
      slug: true,
      name: true,
      status: true,
      createdAt: true,
      _count: { select: { memberships: true, environments: true } },
    },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    ...pageArgs(page, { list: "tenants", scope: "fleet" }),
  });
  const { items, nextCursor } = toPage(rows, page.limit, { list: "tenants", scope: "fleet" });
  return {
    items: items.map(({ _count, ...tenant }) => ({
      ...tenant,
      memberCount: _count.memberships,
      environmentCount: _count.environments,
    })),
    nextCursor,
  };
}

export async function listZones(db: Db, caller: UserCaller, page: PageInput) {
  requireFleetReader(caller);
  const rows = await db.securityZone.findMany({
    select: { id: true, name: true, purpose: true, isolation: true, description: true, _count: { select: { hosts: true } } },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    ...pageArgs(page, { list: "zones", scope: "fleet" }),
  });
  const { items, nextCursor } = toPage(rows, page.limit, { list: "zones", scope: "fleet" });
  return { items: items.map(({ _count, ...zone }) => ({ ...zone, hostCount: _count.hosts })), nextCursor };
}

export async function listHosts(db: Db, caller: UserCaller, page: PageInput) {
  requireFleetReader(caller);
  const rows = await db.host.findMany({
    select: {
      id: true,
      name: true,
      failureDomain: true,
      state: true,
      cpuMillis: true,
      memoryMiB: true,
      maxReplicas: true,
      lastHeartbeatAt: true,
      zone: { select: { name: true } },
      _count: { select: { replicas: true } },
    },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    ...pageArgs(page, { list: "hosts", scope: "fleet" }),
  });
  const { items, nextCursor } = toPage(rows, page.limit, { list: "hosts", scope: "fleet" });
  return {
    items: items.map(({ zone, _count, ...host }) => ({ ...host, zoneName: zone.name, replicaCount: _count.replicas })),
    nextCursor,
  };
}

export async function listPolicies(db: Db, caller: UserCaller, page: PageInput) {
  requireFleetReader(caller);
  const rows = await db.policyRule.findMany({
    select: { id: true, kind: true, name: true, enabled: true, builtIn: true, description: true, params: true },
    orderBy: [{ builtIn: "desc" }, { name: "asc" }, { id: "asc" }],
    ...pageArgs(page, { list: "policies", scope: "fleet" }),
  });
  return toPage(rows, page.limit, { list: "policies", scope: "fleet" });
}

export async function placementSummary(db: Db, caller: UserCaller) {
  requireFleetReader(caller);
  const [hosts, replicas, stateServers, zones] = await Promise.all([
    db.host.count(),
    db.replica.count(),
    db.stateServer.count(),
    db.securityZone.count(),
  ]);
  return { hosts, replicas, stateServers, zones };
}
