import type { Tx } from "../db/client";
import type { Db } from "../db/client";
import type { PolicyWorld } from "../core/policy";

/** The whole fleet as the policy core sees it (one snapshot; call inside a transaction to be consistent). */
export async function loadPolicyWorld(db: Tx | Db): Promise<PolicyWorld> {
  const [tenants, zones, grants, environments, stateServers, replicas, hosts] = await Promise.all([
    db.tenant.findMany({ select: { id: true, name: true } }),
    db.securityZone.findMany({ select: { id: true, name: true, isolation: true } }),
    db.zoneGrant.findMany({ select: { tenantId: true, zoneId: true } }),
    db.environment.findMany({
      where: { status: { not: "removing" } },
      select: { id: true, name: true, tenantId: true, stage: true, haLevel: true, zoneId: true, stateServerId: true },
      orderBy: { id: "asc" },
    }),
    db.stateServer.findMany({
      select: {
        id: true,
        name: true,
        tenantId: true,
        tenancy: true,
        stage: true,
        zoneId: true,
        replicas: true,
        cpuMillis: true,
        memoryMiB: true,
        spread: true,
      },
      orderBy: { id: "asc" },
    }),
    db.replica.findMany({
      where: { state: { not: "stopping" } },
      select: { id: true, stateServerId: true, ordinal: true, hostId: true },
      orderBy: [{ stateServerId: "asc" }, { ordinal: "asc" }],
    }),
    db.host.findMany({
      select: {
        id: true,
        name: true,
        zoneId: true,
        failureDomain: true,
        cpuMillis: true,
        memoryMiB: true,
        maxReplicas: true,
        state: true,
        dedicatedTenantId: true,
        environmentId: true,
      },
      orderBy: { id: "asc" },
    }),
  ]);
  return { tenants, zones, grants, environments, stateServers, replicas, hosts };
}
