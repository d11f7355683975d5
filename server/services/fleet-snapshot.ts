import { activeRules, type FleetSnapshot } from "../core/policy";
import type { EnvironmentStatus } from "../core/reconcile";
import type { HostState, ReplicaLifecycle, Stage } from "../core/model";
import { changeFeedOf } from "../db/change-feed";
import { ReadModel } from "../db/read-model";
import type { Db, Tx } from "../db/client";

type Rows<T> = Promise<T[]>;

/** As policies.ts `loadActiveRules` (not imported: policies.ts reads snapshots itself). */
const loadRules = async (db: Db | Tx) => activeRules(await db.policyRule.findMany({ orderBy: { name: "asc" } }));

/**
 * The whole fleet in one read (call inside a transaction to be consistent):
 * the one load behind the controller's pass, the create and drain previews,
 * what-if, compliance and the map's explanations. Plain SQL with only the
 * columns the engine and the reports use, so 2,000 hosts and 30,000 replicas
 * come in one round of parallel queries.
 */
export async function loadFleetSnapshot(db: Db | Tx): Promise<FleetSnapshot> {
  const [tenants, zones, grants, environments, stateServers, replicas, hosts, rules] = await Promise.all([
    db.$queryRaw`SELECT id, name FROM "Tenant" ORDER BY id` as Rows<FleetSnapshot["tenants"][number]>,
    db.$queryRaw`SELECT id, name, isolation::text AS isolation FROM "SecurityZone" ORDER BY id` as Rows<FleetSnapshot["zones"][number]>,
    db.$queryRaw`SELECT "tenantId", "zoneId" FROM "ZoneGrant" ORDER BY "tenantId", "zoneId"` as Rows<FleetSnapshot["grants"][number]>,
    db.$queryRaw`
      SELECT id, name, "tenantId", stage::text AS stage, "haLevel", "zoneId", "stateServerId", status::text AS status, "isHostPool",
        "dataServerId"
      FROM "Environment" ORDER BY id` as Rows<FleetSnapshot["environments"][number] & { stage: Stage; status: EnvironmentStatus }>,
    db.$queryRaw`
      SELECT id, name, "tenantId", tenancy::text AS tenancy, stage::text AS stage, "zoneId", replicas, "cpuMillis", "memoryMiB",
        spread::text AS spread
      FROM "StateServer" ORDER BY id` as Rows<FleetSnapshot["stateServers"][number]>,
    db.$queryRaw`
      SELECT id, "stateServerId", ordinal, "hostId", state::text AS state, "memberId",
        floor(extract(epoch FROM "createdAt") * 1000)::float8 AS "createdAt"
      FROM "Replica" ORDER BY "stateServerId", ordinal, id` as Rows<FleetSnapshot["replicas"][number] & { state: ReplicaLifecycle }>,
    db.$queryRaw`
      SELECT id, name, "zoneId", "failureDomain", "cpuMillis", "memoryMiB", "maxReplicas", state::text AS state,
        "dedicatedTenantId", "environmentId", floor(extract(epoch FROM "lastHeartbeatAt") * 1000)::float8 AS "lastHeartbeatAt"
      FROM "Host" ORDER BY id` as Rows<FleetSnapshot["hosts"][number] & { state: HostState }>,
    loadRules(db),
  ]);
  return { tenants, zones, grants, environments, stateServers, replicas, hosts, rules };
}

/** The rows the change feed tells about (policy rules and zone grants are not among them: they are read every time). */
const fleetRows = new ReadModel<Omit<FleetSnapshot, "rules" | "grants">>("fleetRows");

/**
 * The snapshot for previews and reports outside a transaction: under the web
 * server's change feed the fleet's rows are read again only after one of their
 * tables changed (a heartbeat alone does not count, so `lastHeartbeatAt` may
 * be old here: the controller reads its own); rules and grants always fresh.
 * Never mutate what it returns: it is shared.
 */
export async function readFleetSnapshot(db: Db): Promise<FleetSnapshot> {
  const feed = changeFeedOf(db);
  if (!feed) return loadFleetSnapshot(db);
  const [rows, grants, rules] = await Promise.all([
    fleetRows.read(db, "", async () => {
      const { grants: _, rules: __, ...rest } = await loadFleetSnapshot(db);
      return rest;
    }),
    db.zoneGrant.findMany({ select: { tenantId: true, zoneId: true }, orderBy: [{ tenantId: "asc" }, { zoneId: "asc" }] }),
    loadRules(db),
  ]);
  // The same rows, grants and rules give the same snapshot object, so what is derived from it (the engine's problem) is kept too.
  const policy = JSON.stringify([grants, rules]);
  const last = lastSnapshot.get(rows);
  if (last?.policy === policy) return last.snapshot;
  const snapshot = { ...rows, grants, rules };
  lastSnapshot.set(rows, { policy, snapshot });
  return snapshot;
}

const lastSnapshot = new WeakMap<object, { policy: string; snapshot: FleetSnapshot }>();
