import pg from "pg";
import { hashSecret, newSecret } from "../../auth/password";
import type { Db, Tx } from "../../db/client";
import { AppError } from "../../errors";
import { recordAudit } from "../audit";
import type { DesiredMember, Heartbeat, HeartbeatResponse, JoinRequest, JoinResponse } from "../../contracts/agent";
import { HEARTBEAT_INTERVAL_MS } from "./settings";

export interface AuthenticatedHost {
  id: string;
  name: string;
  state: string;
}

/** The host a credential belongs to; unknown or revoked credentials are UNAUTHENTICATED. */
export async function authenticateHost(db: Db, credential: string): Promise<AuthenticatedHost> {
  const host = credential
    ? await db.host.findUnique({
        where: { credentialHash: hashSecret(credential) },
        select: { id: true, name: true, state: true, credentialRevokedAt: true },
      })
    : null;
  if (!host || host.credentialRevokedAt) throw new AppError("UNAUTHENTICATED", "Unknown or revoked host credential");
  return { id: host.id, name: host.name, state: host.state };
}

/** A token's row, or the host a retried join already made with it (same token, same install key). */
type Consumed = { row: { id: string; zoneId: string; failureDomain: string | null; environmentId: string | null }; rejoinHostId?: string };

async function consumeToken(tx: Tx, token: string, now: Date, installKeyHash: string | null): Promise<Consumed> {
  const row = await tx.hostJoinToken.findUnique({ where: { tokenHash: hashSecret(token) } });
  if (!row || row.expiresAt <= now) throw new AppError("UNAUTHENTICATED", "Unknown or expired join token");
  // The join this agent retries already went through (its answer was lost): the same agent, the same host.
  if (row.usedAt && row.hostId && installKeyHash && row.installKeyHash === installKeyHash) return { row, rejoinHostId: row.hostId };
  // One-time: the conditional update makes a replay (or a race) lose.
  const used = await tx.hostJoinToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now, installKeyHash } });
  if (used.count !== 1) throw new AppError("UNAUTHENTICATED", "Join token already used");
  return { row };
}

/**
 * A join retried by the agent that made it: the same host with a fresh
 * credential (the previous one, which the agent never received, stops
 * working). A host whose credential was revoked stays revoked.
 */
async function rejoinHost(tx: Tx, hostId: string, input: JoinRequest): Promise<JoinResponse> {
  const host = await tx.host.findUnique({ where: { id: hostId }, select: { id: true, name: true, credentialRevokedAt: true } });
  if (!host || host.credentialRevokedAt || host.name !== input.name) throw new AppError("UNAUTHENTICATED", "Join token already used");
  const credential = newSecret("host");
  await tx.host.update({ where: { id: host.id }, data: { credentialHash: hashSecret(credential) } });
  await recordAudit(tx, {
    actorType: "agent",
    actorId: host.id,
    actorLabel: `agent ${host.name}`,
    action: "host.rejoin",
    targetType: "host",
    targetId: host.id,
    reason: "join retried by the same agent (same token and install key): new credential, the previous one no longer works",
  });
  return { hostId: host.id, credential, heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS };
}

/**
 * Exchanges one-time join token(s) for a host credential; the host is created
 * ready. Idempotent for the agent that joined: the same token(s) with the same
 * install key answer the same host (see rejoinHost); anyone else gets "used".
 */
export async function joinHost(db: Db, input: JoinRequest): Promise<JoinResponse> {
  const now = new Date();
  const installKeyHash = input.installKey ? hashSecret(input.installKey) : null;
  return db.$transaction(async (tx) => {
    const consumed: Consumed[] = [];
    if (input.joinToken) consumed.push(await consumeToken(tx, input.joinToken, now, installKeyHash));
    if (input.environmentToken) consumed.push(await consumeToken(tx, input.environmentToken, now, installKeyHash));
    const rejoins = new Set(consumed.map((c) => c.rejoinHostId));
    if (rejoins.size !== 1) throw new AppError("UNAUTHENTICATED", "Join token already used");
    const [rejoinHostId] = rejoins;
    if (rejoinHostId) return rejoinHost(tx, rejoinHostId, input);
    const tokens = consumed.map((c) => c.row);
    const zoneIds = new Set(tokens.map((t) => t.zoneId));
    if (zoneIds.size !== 1) throw new AppError("VALIDATION", "The tokens name different security zones", { field: "zone" });
    const zone = await tx.securityZone.findUniqueOrThrow({ where: { id: tokens[0]!.zoneId }, select: { id: true, name: true } });
    if (input.zone && input.zone !== zone.name && input.zone !== zone.id) {
      throw new AppError("VALIDATION", `zone: the token is for zone ${zone.name}`, { field: "zone" });
    }
    const domain = tokens.find((t) => t.failureDomain)?.failureDomain;
    if (domain && domain !== input.failureDomain) {
      throw new AppError("VALIDATION", `failureDomain: the token is for ${domain}`, { field: "failureDomain" });
    }
    const environmentId = tokens.find((t) => t.environmentId)?.environmentId ?? null;
    if (await tx.host.findUnique({ where: { name: input.name }, select: { id: true } })) {
      throw new AppError("CONFLICT", `A host named ${input.name} already exists`, { field: "name" });
    }
    const credential = newSecret("host");
    const host = await tx.host.create({
      data: {
        name: input.name,
        zoneId: zone.id,
        failureDomain: input.failureDomain,
        cpuMillis: input.cpuMillis,
        memoryMiB: input.memoryMiB,
        maxReplicas: input.maxReplicas ?? 16,
        address: input.address ?? "127.0.0.1",
        environmentId,
        credentialHash: hashSecret(credential),
        lastHeartbeatAt: now,
      },
      select: { id: true },
    });
    await tx.hostJoinToken.update({ where: { id: tokens[0]!.id }, data: { hostId: host.id } });
    await recordAudit(tx, {
      actorType: "agent",
      actorId: host.id,
      actorLabel: `agent ${input.name}`,
      action: "host.join",
      targetType: "host",
      targetId: host.id,
      after: {
        name: input.name,
        zone: zone.name,
        failureDomain: input.failureDomain,
        environmentId,
        cpuMillis: input.cpuMillis,
        memoryMiB: input.memoryMiB,
      },
    });
    return { hostId: host.id, credential, heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS };
  });
}

const DESIRED_STATES = ["scheduled", "starting", "running", "failed"] as const;

interface SnapshotRow {
  id: string;
  state: string;
  port: number | null;
  restarts: number;
  ss: string;
  ord: number;
}

export interface HostSnapshot extends AuthenticatedHost {
  replicas: SnapshotRow[];
  /** Host.replicaVersion when the rows were read (same statement, so they match). */
  version: string;
}

/** The host and its replica rows in one round trip; null for unknown or revoked credentials. */
export async function loadHostSnapshot(db: Db | pg.Pool, credentialHash: string): Promise<HostSnapshot | null> {
  if (!credentialHash) return null;
  const rows = await hotQuery<{ id: string; name: string; state: string; revoked: boolean; version: string; replicas: SnapshotRow[] }>(
    db,
    SNAPSHOT_SQL,
    [credentialHash],
  );
  const row = rows[0];
  if (!row || row.revoked) return null;
  return { id: row.id, name: row.name, state: row.state, version: String(row.version), replicas: row.replicas };
}

/** The hot path runs on a plain pg pool when the app has one (an order of magnitude less CPU than the ORM per query). */
async function hotQuery<T>(db: Db | pg.Pool, sql: string, values: unknown[]): Promise<T[]> {
  if (db instanceof pg.Pool) return (await db.query(sql, values)).rows as T[];
  return (db as Db).$queryRawUnsafe<T[]>(sql, ...values);
}

const SNAPSHOT_SQL = `
    SELECT h.id, h.name, h.state::text AS state, h."credentialRevokedAt" IS NOT NULL AS revoked, h."replicaVersion"::text AS version,
      coalesce(json_agg(json_build_object('id', r.id, 'state', r.state, 'port', r.port, 'restarts', r.restarts, 'ss', r."stateServerId", 'ord', r.ordinal))
        FILTER (WHERE r.id IS NOT NULL), '[]'::json) AS replicas
    FROM "Host" h LEFT JOIN "Replica" r ON r."hostId" = h.id
    WHERE h."credentialHash" = $1
    GROUP BY h.id`;

/** True when the beat reports exactly the rows the host has (same ids, states, ports, restarts) and nothing is stopping. */
function beatMatches(replicas: readonly SnapshotRow[], beat: Heartbeat): boolean {
  if (beat.replicas.length !== replicas.length || replicas.some((r) => r.state === "stopping")) return false;
  const rows = new Map(replicas.map((r) => [r.id, r]));
  for (const r of beat.replicas) {
    const row = rows.get(r.id);
    if (!row || row.state !== r.state || row.port !== r.clientPort || row.restarts !== (r.restarts ?? row.restarts)) return false;
  }
  return true;
}

/**
 * Interim (the controller side of issue 12 replaces it): the replica rows as
 * members without `initialCluster`, so agents start nothing for them yet.
 */
const asMember = (r: { id: string; ss: string; ord: number; port: number | null }): DesiredMember => ({
  id: r.id,
  stateServerId: r.ss,
  ordinal: r.ord,
  clientPort: r.port ?? 0,
  peerPort: 0,
  address: "127.0.0.1",
  clusterToken: r.ss,
});

const desiredOf = (replicas: readonly SnapshotRow[]): DesiredMember[] =>
  replicas.filter((r) => (DESIRED_STATES as readonly string[]).includes(r.state)).map(asMember);

/**
 * What the steady path remembers per credential (hash): the host's replica rows
 * as of `version`. Per app instance; correctness never depends on it, because
 * the steady UPDATE only matches while the database still has that version.
 */
interface SteadyEntry {
  host: AuthenticatedHost;
  version: string;
  replicas: SnapshotRow[];
  desired: DesiredMember[];
}
const steady = new Map<string, SteadyEntry>();
const STEADY_MAX = 100_000;

/** The cached host for a credential hash (for rate limiting before any query). */
export const steadyHost = (credentialHash: string): AuthenticatedHost | undefined => steady.get(credentialHash)?.host;

/**
 * The steady state: the host's replica rows have not changed since this
 * instance last read them (same replicaVersion) and the agent reports exactly
 * them. One indexed UPDATE ... RETURNING, no read, no ORM, no audit. Null when
 * anything changed (or the credential was revoked, or the host is down): the
 * caller takes the full path.
 */
export async function steadyHeartbeat(pool: Db | pg.Pool, credentialHash: string, beat: Heartbeat): Promise<HeartbeatResponse | null> {
  const entry = steady.get(credentialHash);
  if (!entry || !beatMatches(entry.replicas, beat)) return null;
  const rows = await hotQuery<{ state: string }>(
    pool,
    `UPDATE "Host" SET "lastHeartbeatAt" = now() AT TIME ZONE 'UTC', "cpuMillis" = $2, "memoryMiB" = $3
      WHERE id = $1 AND "replicaVersion" = $4::bigint AND state <> 'down' AND "credentialRevokedAt" IS NULL
      RETURNING state::text AS state`,
    [entry.host.id, beat.cpuMillis, beat.memoryMiB, entry.version],
  );
  if (!rows[0]) {
    steady.delete(credentialHash);
    return null;
  }
  entry.host.state = rows[0].state;
  return { host: { id: entry.host.id, state: rows[0].state }, heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS, desired: entry.desired };
}

/**
 * Nothing changed since the snapshot (read in this request): one UPDATE of the
 * host's heartbeat, and the snapshot is remembered for the steady path.
 * Returns null when anything changed, for the full path.
 */
export async function quickHeartbeat(
  db: Db | pg.Pool,
  host: HostSnapshot,
  beat: Heartbeat,
  credentialHash?: string,
): Promise<HeartbeatResponse | null> {
  if (host.state === "down" || !beatMatches(host.replicas, beat)) return null;
  const rows = await hotQuery<{ state: string }>(
    db,
    `UPDATE "Host" SET "lastHeartbeatAt" = now() AT TIME ZONE 'UTC', "cpuMillis" = $1, "memoryMiB" = $2 WHERE id = $3 AND state <> 'down' RETURNING state::text AS state`,
    [beat.cpuMillis, beat.memoryMiB, host.id],
  );
  if (!rows[0]) return null;
  const desired = desiredOf(host.replicas);
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
 * One heartbeat: the host's capacity and the replicas it runs. A host reports
 * only for itself: a replica id that belongs to another host rejects the whole
 * heartbeat with no change. Stopping replicas it no longer reports are gone.
 * Returns the replicas the host should run.
 */
export async function recordHeartbeat(db: Db, host: AuthenticatedHost, beat: Heartbeat): Promise<HeartbeatResponse> {
  const reportedIds = beat.replicas.map((r) => r.id);
  const rows = await db.replica.findMany({
    where: reportedIds.length ? { OR: [{ hostId: host.id }, { id: { in: reportedIds } }] } : { hostId: host.id },
    select: { id: true, hostId: true, state: true, port: true, restarts: true, stateServerId: true, ordinal: true },
  });
  const foreign = rows.filter((r) => r.hostId !== host.id);
  if (foreign.length) {
    throw new AppError("FORBIDDEN", "A host can only report its own replicas", { field: `replicas:${foreign.map((r) => r.id).join(",")}` });
  }
  const mine = new Map(rows.map((r) => [r.id, r]));
  const now = new Date();
  const changes: { id: string; from: string; to: string }[] = [];
  const updates: Promise<unknown>[] = [];
  for (const r of beat.replicas) {
    const row = mine.get(r.id);
    if (!row || row.state === "stopping") continue;
    const restarts = r.restarts ?? row.restarts;
    if (row.state === r.state && row.port === r.clientPort && row.restarts === restarts) continue;
    if (row.state !== r.state) changes.push({ id: r.id, from: row.state, to: r.state });
    updates.push(
      // Conditional: a replica the controller has just asked to stop stays stopping.
      db.replica.updateMany({
        where: { id: r.id, hostId: host.id, state: { not: "stopping" } },
        data: {
          state: r.state,
          port: r.clientPort,
          pid: r.pid ?? null,
          restarts,
          failureReason: r.state === "failed" ? (r.error ?? "crashed") : null,
          lastSeenAt: now,
          ...(r.state === "running" && row.state !== "running" ? { startedAt: now } : {}),
        },
      }),
    );
  }
  const reported = new Set(reportedIds);
  const stopped = rows.filter((r) => r.state === "stopping" && !reported.has(r.id)).map((r) => r.id);
  if (stopped.length) updates.push(db.replica.deleteMany({ where: { id: { in: stopped }, hostId: host.id, state: "stopping" } }));
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
  const desired = rows
    .filter((r) => r.hostId === host.id && (DESIRED_STATES as readonly string[]).includes(r.state))
    .map((r) => asMember({ id: r.id, ss: r.stateServerId, ord: r.ordinal, port: r.port }));
  return { host: { id: host.id, state: recovered ? "ready" : host.state }, heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS, desired };
}

/** Records a rejected agent request (bad credential, malformed payload, foreign report) in the audit log. */
export async function auditRejection(
  db: Db,
  event: { hostId?: string; label: string; action: string; reason: string; requestId?: string },
) {
  await db.$transaction((tx) =>
    recordAudit(tx, {
      actorType: "agent",
      actorId: event.hostId ?? null,
      actorLabel: event.label,
      action: event.action,
      targetType: "host",
      targetId: event.hostId ?? null,
      reason: event.reason.slice(0, 500),
      requestId: event.requestId ?? null,
    }),
  );
}
