import type { UserCaller } from "../../auth/caller";
import type { Db } from "../../db/client";
import { ReadModel } from "../../db/read-model";
import { sharedOutput } from "../../shared-output";
import { requireFleetReader } from "../../auth/caller";
import { MAP_HOST_STATES, MAP_REPLICA_STATES, MAP_STAGES, type PlacementMap } from "./types";

/**
 * Live updates: the browser polls this every few seconds and refetches the map
 * only when it changed. Polling (not SSE) survives proxies, restarts and
 * several app instances without sticky connections. The version is five
 * index-only aggregates; under the web server's change feed it is re-read only
 * after one of its tables changed, so a room full of support staff polling
 * costs no query at all.
 */
export async function placementVersion(db: Db, caller: UserCaller): Promise<string> {
  requireFleetReader(caller);
  return versions.read(db, "", () => readVersion(db));
}

/** The version only changes with these tables: while the change feed says they did not, it is not re-read. */
const versions = new ReadModel<string>("placementVersion");

async function readVersion(db: Db): Promise<string> {
  const [row] = await db.$queryRaw<{ v: string }[]>`
    SELECT concat_ws(':',
      (SELECT extract(epoch FROM max("updatedAt"))::text FROM "Host"),
      (SELECT extract(epoch FROM max("updatedAt"))::text FROM "Replica"),
      (SELECT count(*)::text FROM "Replica"),
      (SELECT extract(epoch FROM max("updatedAt"))::text FROM "Environment"),
      (SELECT coalesce(max(id), 0)::text FROM "PlacementEvent")) AS v`;
  return row?.v ?? "0";
}

interface HostRow {
  id: string;
  name: string;
  zoneId: string;
  fd: string;
  state: string;
  cpu: number;
  mem: number;
  slots: number;
  envId: string | null;
  dedicated: string | null;
  hb: number | null;
}
interface ServerRow {
  id: string;
  name: string;
  tenantId: string | null;
  stage: string | null;
  replicas: number;
  cpu: number;
  mem: number;
  zoneId: string;
}
interface EnvRow {
  id: string;
  name: string;
  tenantId: string;
  stage: string;
  serverId: string | null;
}
interface ReplicaRow {
  serverId: string;
  ordinal: number;
  hostId: string | null;
  state: string;
}

/** Replica rows now, or as they were at `asOf` (rewound through placement events). */
function replicaRows(db: Db, asOf: Date | null) {
  if (!asOf) {
    return db.$queryRaw<ReplicaRow[]>`
      SELECT "stateServerId" AS "serverId", ordinal, "hostId", state::text AS state FROM "Replica"`;
  }
  // A replica's host at T: the target of its last event at or before T; else the
  // origin of its first event after T; else (no events) where it is now.
  return db.$queryRaw<ReplicaRow[]>`
    WITH before AS (
      SELECT DISTINCT ON ("stateServerId", ordinal) "stateServerId", ordinal, kind::text AS kind, "toHostId"
      FROM "PlacementEvent" WHERE at <= ${asOf}
      ORDER BY "stateServerId", ordinal, at DESC, id DESC),
    after AS (
      SELECT DISTINCT ON ("stateServerId", ordinal) "stateServerId", ordinal, "fromHostId"
      FROM "PlacementEvent" WHERE at > ${asOf}
      ORDER BY "stateServerId", ordinal, at ASC, id ASC),
    placed AS (
      SELECT r."stateServerId" AS "serverId", r.ordinal, r.state::text AS now_state, r."hostId" AS now_host,
        CASE WHEN b."stateServerId" IS NOT NULL THEN CASE WHEN b.kind IN ('unplaced', 'stopped') THEN NULL ELSE b."toHostId" END
             WHEN a."stateServerId" IS NOT NULL THEN a."fromHostId"
             ELSE r."hostId" END AS "hostId",
        (b."stateServerId" IS NULL AND a."stateServerId" IS NULL) AS untouched
      FROM "Replica" r
      LEFT JOIN before b ON b."stateServerId" = r."stateServerId" AND b.ordinal = r.ordinal
      LEFT JOIN after a ON a."stateServerId" = r."stateServerId" AND a.ordinal = r.ordinal
      WHERE r."createdAt" <= ${asOf})
    SELECT "serverId", ordinal, "hostId",
      CASE WHEN untouched THEN now_state WHEN "hostId" IS NULL THEN 'pending' ELSE 'running' END AS state
    FROM placed`;
}

const presentMaps = new ReadModel<PlacementMap>("placementMapByVersion");

/**
 * The whole map in one compact payload. The present map is built once per
 * version (per database client) and shared by every viewer polling it.
 */
export async function loadPlacementMap(db: Db, caller: UserCaller, asOf: Date | null = null): Promise<PlacementMap> {
  requireFleetReader(caller);
  const version = await placementVersion(db, caller);
  if (asOf) return buildMap(db, version, asOf);
  // Shared by every viewer of this version: frozen, and serialized once by tRPC.
  return presentMaps.read(db, version, () => buildMap(db, version, null).then(sharedOutput));
}

async function buildMap(db: Db, version: string, asOf: Date | null): Promise<PlacementMap> {
  const [zones, hosts, tenants, servers, envs, replicas] = await Promise.all([
    db.securityZone.findMany({ select: { id: true, name: true, purpose: true }, orderBy: { name: "asc" } }),
    db.$queryRaw<HostRow[]>`
      SELECT h.id, h.name, h."zoneId", h."failureDomain" AS fd, h.state::text AS state, h."cpuMillis" AS cpu,
        h."memoryMiB" AS mem, h."maxReplicas" AS slots, h."environmentId" AS "envId", h."dedicatedTenantId" AS dedicated,
        extract(epoch FROM h."lastHeartbeatAt")::int AS hb
      FROM "Host" h JOIN "SecurityZone" z ON z.id = h."zoneId"
      ORDER BY z.name, h."failureDomain", h.name`,
    db.tenant.findMany({ select: { id: true, slug: true, name: true }, orderBy: { name: "asc" } }),
    db.$queryRaw<ServerRow[]>`
      SELECT s.id, s.name, s.stage::text AS stage, s.replicas, s."cpuMillis" AS cpu, s."memoryMiB" AS mem, s."zoneId",
        coalesce(s."tenantId", t.only) AS "tenantId"
      FROM "StateServer" s
      LEFT JOIN (SELECT "stateServerId", CASE WHEN count(DISTINCT "tenantId") = 1 THEN min("tenantId") END AS only
                 FROM "Environment" WHERE "stateServerId" IS NOT NULL GROUP BY 1) t ON t."stateServerId" = s.id
      ORDER BY s.name`,
    db.$queryRaw<EnvRow[]>`
      SELECT id, name, "tenantId", stage::text AS stage, "stateServerId" AS "serverId" FROM "Environment" ORDER BY name`,
    replicaRows(db, asOf),
  ]);
  const index = <T>(ids: readonly T[]) => new Map(ids.map((id, i) => [id, i]));
  const zoneIx = index(zones.map((z) => z.id));
  const tenantIx = index(tenants.map((t) => t.id));
  const envIx = index(envs.map((e) => e.id));
  const serverIx = index(servers.map((s) => s.id));
  const hostIx = index(hosts.map((h) => h.id));
  const stageIx = (s: string | null) => (s ? MAP_STAGES.indexOf(s as never) : -1);
  const ix = (m: Map<string, number>, id: string | null) => (id === null ? -1 : (m.get(id) ?? -1));

  const domains: PlacementMap["domains"] = { zone: [], name: [] };
  const domainIx = new Map<string, number>();
  const hostDomain = hosts.map((h) => {
    const key = `${h.zoneId}\u0000${h.fd}`;
    let d = domainIx.get(key);
    if (d === undefined) {
      d = domains.name.length;
      domainIx.set(key, d);
      domains.zone.push(zoneIx.get(h.zoneId)!);
      domains.name.push(h.fd);
    }
    return d;
  });
  // Sorted by server then ordinal, the server column becomes a delta run of 0s and 1s (nearly free after gzip).
  const replicaServer = replicas.map((r) => ix(serverIx, r.serverId));
  const order = replicas
    .map((_, i) => i)
    .sort((a, b) => replicaServer[a]! - replicaServer[b]! || replicas[a]!.ordinal - replicas[b]!.ordinal);
  let previous = 0;

  return {
    version,
    asOf: asOf?.toISOString() ?? null,
    generatedAt: new Date().toISOString(),
    zones: { id: zones.map((z) => z.id), name: zones.map((z) => z.name), purpose: zones.map((z) => z.purpose) },
    domains,
    tenants: { id: tenants.map((t) => t.id), slug: tenants.map((t) => t.slug), name: tenants.map((t) => t.name) },
    hosts: {
      id: hosts.map((h) => h.id),
      name: hosts.map((h) => h.name),
      domain: hostDomain,
      state: hosts.map((h) => MAP_HOST_STATES.indexOf(h.state as never)),
      cpu: hosts.map((h) => h.cpu),
      mem: hosts.map((h) => h.mem),
      slots: hosts.map((h) => h.slots),
      env: hosts.map((h) => ix(envIx, h.envId)),
      dedicated: hosts.map((h) => ix(tenantIx, h.dedicated)),
      heartbeat: hosts.map((h) => h.hb ?? -1),
    },
    servers: {
      name: servers.map((s) => s.name),
      tenant: servers.map((s) => ix(tenantIx, s.tenantId)),
      stage: servers.map((s) => stageIx(s.stage)),
      replicas: servers.map((s) => s.replicas),
      cpu: servers.map((s) => s.cpu),
      mem: servers.map((s) => s.mem),
      zone: servers.map((s) => ix(zoneIx, s.zoneId)),
    },
    environments: {
      name: envs.map((e) => e.name),
      tenant: envs.map((e) => ix(tenantIx, e.tenantId)),
      stage: envs.map((e) => stageIx(e.stage)),
      server: envs.map((e) => ix(serverIx, e.serverId)),
    },
    replicas: {
      serverDelta: order.map((i) => {
        const d = replicaServer[i]! - previous;
        previous = replicaServer[i]!;
        return d;
      }),
      ordinal: order.map((i) => replicas[i]!.ordinal),
      host: order.map((i) => ix(hostIx, replicas[i]!.hostId)),
      state: order.map((i) => MAP_REPLICA_STATES.indexOf(replicas[i]!.state as never)),
    },
  };
}
