import pg from "pg";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { DesiredMember, Heartbeat, HeartbeatResponse, TlsMaterial } from "../../contracts/agent";
import { certificateFingerprint } from "../../etcd/pki";
import { memberTls } from "./cluster-tls";
import { desiredOf, observedRow, type MemberRow } from "./member-rows";
import { recordAudit } from "../audit";
import type { AuthenticatedHost } from "./agent-service";
import { HEARTBEAT_INTERVAL_MS } from "./settings";

/** Raft index, term and db size change on every write: they are stored at most this often per member. */
const HEALTH_REFRESH_MS = 10_000;

export interface HostSnapshot extends AuthenticatedHost {
  address: string;
  replicas: MemberRow[];
  /** Host.replicaVersion when the rows were read (same statement, so they match). */
  version: string;
}

const SNAPSHOT_SQL = `
    SELECT h.id, h.name, h.address, h.state::text AS state, h."credentialRevokedAt" IS NOT NULL AS revoked, h."replicaVersion"::text AS version,
      coalesce(json_agg(json_build_object('id', r.id, 'state', r.state, 'port', r.port, 'peerPort', r."peerPort", 'restarts', r.restarts,
        'ss', r."stateServerId", 'ord', r.ordinal, 'memberId', r."memberId", 'initialCluster', r."initialCluster",
        'initialClusterState', r."initialClusterState", 'isLeader', r."isLeader", 'isLearner', r."isLearner", 'healthAt', r."healthAt",
        'token', s."clusterToken", 'failureReason', r."failureReason", 'tls', md5(r."tlsCert")))
        FILTER (WHERE r.id IS NOT NULL), '[]'::json) AS replicas
    FROM "Host" h LEFT JOIN "Replica" r ON r."hostId" = h.id LEFT JOIN "StateServer" s ON s.id = r."stateServerId"
    WHERE h."credentialHash" = $1
    GROUP BY h.id`;

async function hotQuery<T>(db: Db | pg.Pool, sql: string, values: unknown[]): Promise<T[]> {
  if (db instanceof pg.Pool) return (await db.query(sql, values)).rows as T[];
  return (db as Db).$queryRawUnsafe<T[]>(sql, ...values);
}

/** The host and its replica rows in one round trip; null for unknown or revoked credentials. */
export async function loadHostSnapshot(db: Db | pg.Pool, credentialHash: string): Promise<HostSnapshot | null> {
  if (!credentialHash) return null;
  const rows = await hotQuery<{
    id: string;
    name: string;
    address: string;
    state: string;
    revoked: boolean;
    version: string;
    replicas: MemberRow[];
  }>(db, SNAPSHOT_SQL, [credentialHash]);
  const row = rows[0];
  if (!row || row.revoked) return null;
  return { id: row.id, name: row.name, address: row.address, state: row.state, version: String(row.version), replicas: row.replicas };
}

/** True when the beat changes nothing worth a write: same members, states, ports, roles, restarts, and health recent enough. */
function beatMatches(rows: readonly MemberRow[], beat: Heartbeat, now: number): boolean {
  if (beat.replicas.length !== rows.length || rows.some((r) => r.state === "stopping")) return false;
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const m of beat.replicas) {
    const row = byId.get(m.id);
    if (!row) return false;
    const seen = observedRow(m);
    if (row.state !== seen.state || row.isLeader !== seen.isLeader || row.isLearner !== seen.isLearner) return false;
    if (row.port !== m.clientPort || row.peerPort !== m.peerPort || row.restarts !== (m.restarts ?? row.restarts)) return false;
    if (row.tls !== (m.tls ?? null)) return false;
    if (m.health && (!row.healthAt || now - Date.parse(row.healthAt + (row.healthAt.endsWith("Z") ? "" : "Z")) > HEALTH_REFRESH_MS))
      return false;
  }
  return true;
}

interface SteadyEntry {
  host: AuthenticatedHost;
  version: string;
  replicas: MemberRow[];
  desired: DesiredMember[];
}
const steady = new Map<string, SteadyEntry>();
const STEADY_MAX = 100_000;

/** The cached host for a credential hash (for rate limiting before any query). */
export const steadyHost = (credentialHash: string): AuthenticatedHost | undefined => steady.get(credentialHash)?.host;

const touchHost = `UPDATE "Host" SET "lastHeartbeatAt" = now() AT TIME ZONE 'UTC', "cpuMillis" = $2, "memoryMiB" = $3
      WHERE id = $1 AND state <> 'down' AND "credentialRevokedAt" IS NULL`;

/**
 * The steady state: the host's rows have not changed since this instance last
 * read them (same replicaVersion) and the agent reports exactly them. One
 * indexed UPDATE ... RETURNING, no read, no ORM, no audit. Null when anything
 * changed: the caller takes the full path.
 */
export async function steadyHeartbeat(pool: Db | pg.Pool, credentialHash: string, beat: Heartbeat): Promise<HeartbeatResponse | null> {
  const entry = steady.get(credentialHash);
  if (!entry || !beatMatches(entry.replicas, beat, Date.now())) return null;
  const rows = await hotQuery<{ state: string }>(pool, `${touchHost} AND "replicaVersion" = $4::bigint RETURNING state::text AS state`, [
    entry.host.id,
    beat.cpuMillis,
    beat.memoryMiB,
    entry.version,
  ]);
  if (!rows[0]) {
    steady.delete(credentialHash);
    return null;
  }
  entry.host.state = rows[0].state;
  return { host: { id: entry.host.id, state: rows[0].state }, heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS, desired: entry.desired };
}

/** Nothing changed since the snapshot read in this request: one UPDATE, and the snapshot is remembered for the steady path. */
export async function quickHeartbeat(
  db: Db | pg.Pool,
  host: HostSnapshot,
  beat: Heartbeat,
  credentialHash?: string,
): Promise<HeartbeatResponse | null> {
  if (host.state === "down" || !beatMatches(host.replicas, beat, Date.now())) return null;
  const rows = await hotQuery<{ state: string }>(db, `${touchHost} RETURNING state::text AS state`, [
    host.id,
    beat.cpuMillis,
    beat.memoryMiB,
  ]);
  if (!rows[0]) return null;
  const desired = desiredOf(host, host.replicas);
  if (credentialHash) {
    if (steady.size >= STEADY_MAX) steady.clear();
    steady.set(credentialHash, {
      host: { id: host.id, name: host.name, state: rows[0].state },
      version: host.version,
      replicas: host.replicas,
      desired,
    });
  }
  return { host: { id: host.id, state: rows[0].state }, heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS, desired };
}

/**
 * One heartbeat through the full path: each member's state and health as its
 * agent saw it (etcd Maintenance.Status). A host reports only for itself: a
 * replica id that belongs to another host rejects the whole heartbeat with no
 * change. Stopping replicas it no longer reports are gone. Returns the members
 * the host should run.
 */
export async function recordHeartbeat(db: Db, host: AuthenticatedHost, beat: Heartbeat): Promise<HeartbeatResponse> {
  const reportedIds = beat.replicas.map((r) => r.id);
  const foreign = reportedIds.length
    ? await db.replica.findMany({ where: { id: { in: reportedIds }, NOT: { hostId: host.id } }, select: { id: true } })
    : [];
  if (foreign.length) {
    throw new AppError("FORBIDDEN", "A host can only report its own replicas", { field: `replicas:${foreign.map((r) => r.id).join(",")}` });
  }
  const snapshot = await db.host.findUniqueOrThrow({ where: { id: host.id }, select: { address: true } });
  const rows = await db.replica.findMany({
    where: { hostId: host.id },
    select: { id: true, state: true, port: true, peerPort: true, restarts: true, memberId: true, stateServerId: true, ordinal: true },
  });
  const mine = new Map(rows.map((r) => [r.id, r]));
  const now = new Date();
  const changes: { id: string; from: string; to: string }[] = [];
  const updates: Promise<unknown>[] = [];
  for (const m of beat.replicas) {
    const row = mine.get(m.id);
    if (!row) continue;
    const seen = observedRow(m);
    const health = m.health
      ? {
          healthAt: now,
          raftTerm: BigInt(m.health.raftTerm),
          raftIndex: BigInt(m.health.raftIndex),
          dbSizeBytes: BigInt(m.health.dbSizeBytes),
          alarms: m.health.alarms,
        }
      : {};
    const flags = {
      isLeader: seen.isLeader,
      isLearner: seen.isLearner,
      failureReason: seen.failureReason,
      pid: m.pid ?? null,
      lastSeenAt: now,
    };
    if (row.state === "stopping") {
      // Still a member until the controller removes it: its health keeps counting for quorum.
      updates.push(db.replica.updateMany({ where: { id: m.id, hostId: host.id, state: "stopping" }, data: { ...flags, ...health } }));
      continue;
    }
    if (row.state !== seen.state) changes.push({ id: m.id, from: row.state, to: seen.state });
    updates.push(
      // Conditional: a replica the controller has just asked to stop stays stopping.
      db.replica.updateMany({
        where: { id: m.id, hostId: host.id, state: { not: "stopping" } },
        data: {
          state: seen.state,
          restarts: m.restarts ?? row.restarts,
          ...flags,
          ...health,
          ...(seen.state === "running" && row.state !== "running" ? { startedAt: now } : {}),
        },
      }),
    );
  }
  const reported = new Set(reportedIds);
  const stopped = rows.filter((r) => r.state === "stopping" && !r.memberId && !reported.has(r.id)).map((r) => r.id);
  if (stopped.length)
    updates.push(db.replica.deleteMany({ where: { id: { in: stopped }, hostId: host.id, state: "stopping", memberId: null } }));
  const recovered = host.state === "down";
  updates.push(
    db.host.update({
      where: { id: host.id },
      data: { lastHeartbeatAt: now, cpuMillis: beat.cpuMillis, memoryMiB: beat.memoryMiB, ...(recovered ? { state: "ready" } : {}) },
    }),
  );
  await Promise.all(updates);
  if (changes.length || stopped.length || recovered) {
    await db.$transaction((tx) =>
      recordAudit(tx, {
        actorType: "agent",
        actorId: host.id,
        actorLabel: `agent ${host.name}`,
        action: recovered ? "host.recovered" : "replica.observed",
        targetType: "host",
        targetId: host.id,
        after: { changes, stopped, ...(recovered ? { state: "ready" } : {}) },
      }),
    );
  }
  const fresh = await loadRowsForDesired(db, host.id);
  const reportedTls = new Map(beat.replicas.map((m) => [m.id, m.tls ?? null]));
  return {
    host: { id: host.id, state: recovered ? "ready" : host.state },
    heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
    // A member's certificate travels only while its agent does not report holding it.
    desired: desiredOf(snapshot, fresh, (r) => (r.tls && reportedTls.get(r.id) !== r.tls ? r.material() : undefined)),
  };
}

async function loadRowsForDesired(db: Db, hostId: string): Promise<(MemberRow & { material: () => TlsMaterial | undefined })[]> {
  const rows = await db.replica.findMany({
    where: { hostId },
    select: {
      id: true,
      state: true,
      port: true,
      peerPort: true,
      restarts: true,
      stateServerId: true,
      ordinal: true,
      memberId: true,
      initialCluster: true,
      initialClusterState: true,
      isLeader: true,
      isLearner: true,
      healthAt: true,
      failureReason: true,
      tlsCert: true,
      tlsKeySealed: true,
      stateServer: { select: { clusterToken: true, caCert: true } },
    },
  });
  return rows.map(({ tlsCert, tlsKeySealed, stateServer, ...r }) => ({
    ...r,
    ss: r.stateServerId,
    ord: r.ordinal,
    healthAt: r.healthAt?.toISOString() ?? null,
    token: stateServer.clusterToken,
    tls: tlsCert ? certificateFingerprint(tlsCert) : null,
    material: () => (tlsCert && tlsKeySealed && stateServer.caCert ? memberTls(stateServer.caCert, tlsCert, tlsKeySealed) : undefined),
  }));
}
