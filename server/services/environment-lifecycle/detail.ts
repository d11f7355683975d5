import { hasTenantRole, readsEverything } from "../../auth/caller";
import type { Db } from "../../db/client";
import { rowKey } from "../../db/feed-keys";
import { ReadModel } from "../../db/read-model";
import { notFound } from "../../errors";
import { derivedOnce, sharedOutput } from "../../shared-output";
import type { Prisma } from "../../db/generated/client";
import { type ServiceCtx } from "../actor";
import { canRead } from "./access";
import { environmentPrefix, environmentUser } from "../../etcd/environment-access";
import { memberClientUrl, memberEndpoints } from "../runtime/cluster-access";
import type { HaLevel } from "../../core/model";

const replicaSelect = {
  id: true,
  ordinal: true,
  state: true,
  port: true,
  failureReason: true,
  restarts: true,
  startedAt: true,
  lastSeenAt: true,
  memberId: true,
  initialCluster: true,
  isLeader: true,
  isLearner: true,
  raftTerm: true,
  raftIndex: true,
  dbSizeBytes: true,
  alarms: true,
  healthAt: true,
  host: { select: { name: true, failureDomain: true, state: true, address: true } },
} satisfies Prisma.ReplicaSelect;

const HIDDEN = "another tenant's environment";
const TIMELINE_LIMIT = 60;

/**
 * Every table the environment page reads; once read, its cached rows depend on
 * their own keys only: this environment, the environments and replicas of its
 * state server, their jobs and events (change_feed_keys names those rows),
 * and the small tables whole.
 */
const detailRows = new ReadModel<DetailRows | null>("environmentDetail", (rows, id) => {
  const server = rows?.env.stateServerId;
  return [
    rowKey("Environment", "id", id),
    rowKey("RuntimeJob", "targetId", id),
    rowKey("AuditEvent", "targetId", id),
    "Tenant",
    "Host",
    "SecurityZone",
    ...(server
      ? [
          rowKey("Environment", "stateServerId", server),
          rowKey("StateServer", "id", server),
          rowKey("Replica", "stateServerId", server),
          rowKey("RuntimeJob", "targetId", server),
          rowKey("PlacementEvent", "stateServerId", server),
        ]
      : []),
  ];
});
type DetailRows = NonNullable<Awaited<ReturnType<typeof loadDetailRows>>>;

async function loadDetailRows(db: Db, id: string) {
  const env = await db.environment.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      stage: true,
      haLevel: true,
      status: true,
      statusReason: true,
      tenantId: true,
      zoneId: true,
      stateServerId: true,
      dataServerId: true,
      createdAt: true,
      updatedAt: true,
      tenant: { select: { name: true } },
    },
  });
  if (!env) return null;
  const [server, replicas, jobs, audits, zone, placementRows] = await Promise.all([
    env.stateServerId
      ? db.stateServer.findUnique({
          where: { id: env.stateServerId },
          select: {
            id: true,
            name: true,
            tenancy: true,
            tenantId: true,
            replicas: true,
            stage: true,
            caCert: true,
            environments: { select: { id: true, name: true, tenantId: true, stage: true, status: true }, orderBy: { createdAt: "asc" } },
          },
        })
      : null,
    env.stateServerId
      ? db.replica.findMany({
          where: { stateServerId: env.stateServerId },
          select: replicaSelect,
          orderBy: [{ ordinal: "asc" }, { createdAt: "asc" }],
        })
      : [],
    db.runtimeJob.findMany({
      where: { targetId: { in: [id, ...(env.stateServerId ? [env.stateServerId] : [])] } },
      select: { id: true, kind: true, state: true, progress: true, detail: true, error: true, createdAt: true, finishedAt: true },
      orderBy: { createdAt: "desc" },
      take: 10,
    }),
    db.auditEvent.findMany({
      where: { targetType: "environment", targetId: id },
      select: { id: true, at: true, action: true, actorLabel: true, after: true, reason: true },
      orderBy: { id: "desc" },
      take: TIMELINE_LIMIT,
    }),
    env.zoneId ? db.securityZone.findUnique({ where: { id: env.zoneId }, select: { id: true, name: true } }) : null,
    env.stateServerId
      ? db.placementEvent.findMany({
          where: { stateServerId: env.stateServerId, at: { gte: env.createdAt } },
          select: { id: true, at: true, kind: true, ordinal: true, reason: true, toHostId: true, fromHostId: true },
          orderBy: { id: "desc" },
          take: TIMELINE_LIMIT,
        })
      : [],
  ]);
  // No server row (only in a race with its removal): no placement history, as before.
  const placements = server ? placementRows : [];
  const hostIds = [...new Set(placements.flatMap((p) => [p.toHostId, p.fromHostId]).filter((h): h is string => !!h))];
  const hosts = hostIds.length ? await db.host.findMany({ where: { id: { in: hostIds } }, select: { id: true, name: true } }) : [];
  return { env, server, replicas, jobs, audits, zone, placements, hostNames: new Map(hosts.map((h) => [h.id, h.name])) };
}

/**
 * Everything the environment page shows: status and progress, its state
 * server and the environments it shares it with (other tenants' names
 * hidden), each replica with its host, health and endpoint, open jobs, and a
 * timeline of audit and placement events.
 */
export async function getEnvironmentDetail(ctx: ServiceCtx, id: string) {
  const { db, caller } = ctx;
  // One read serves both the access check (environmentFor's rule) and the page;
  // the rows are shared between callers (cached while their tables are
  // unchanged), what each caller may see is decided below, per request.
  const rows = await detailRows.read(db, id, () => loadDetailRows(db, id));
  if (!rows || !canRead(caller, rows.env.tenantId)) throw notFound("Environment");
  // What differs between callers who may read it: whether other tenants' names show, and whether they may change it.
  const seesAll = readsEverything(caller);
  const canChange = hasTenantRole(caller, rows.env.tenantId, "member");
  // One (shared, frozen) page per view of the cached rows.
  return derivedOnce(rows, `view:${seesAll}:${canChange}`, () => shapeDetail(rows, seesAll, canChange));
}

function shapeDetail(rows: DetailRows, seesAll: boolean, canChange: boolean) {
  const { env, server, replicas, jobs, audits, zone, placements, hostNames } = rows;
  const live = replicas.filter((r) => r.host && r.host.state !== "down");
  const running = new Set(live.filter((r) => r.state === "running").map((r) => r.ordinal)).size;

  const timeline = [
    ...audits.map((a) => ({
      key: `a${a.id}`,
      at: a.at,
      kind: a.action,
      actor: a.actorLabel,
      detail: describeAudit(a.action, a.after, a.reason),
      // What a status event changed to: the create page's progress reads it.
      status: a.action === "environment.status" ? String(((a.after ?? {}) as Record<string, unknown>).status ?? "") || null : null,
    })),
    ...placements.map((p) => ({
      key: `p${p.id}`,
      at: p.at,
      kind: `replica.${p.kind}`,
      actor: "controller",
      status: null,
      detail: `replica ${p.ordinal}${p.fromHostId ? ` from ${hostNames.get(p.fromHostId) ?? "a removed host"}` : ""}${p.toHostId ? ` on ${hostNames.get(p.toHostId) ?? "a removed host"}` : ""} (${p.reason})`,
    })),
  ]
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .slice(0, TIMELINE_LIMIT);

  return sharedOutput({
    id: env.id,
    name: env.name,
    stage: env.stage,
    haLevel: env.haLevel as HaLevel,
    status: env.status,
    statusReason: env.statusReason,
    tenantId: env.tenantId,
    tenantName: env.tenant.name,
    zone,
    createdAt: env.createdAt,
    updatedAt: env.updatedAt,
    canChange,
    progress: { running, total: server?.replicas ?? env.haLevel },
    stateServer: server
      ? { id: server.id, name: server.name, tenancy: server.tenancy, replicas: server.replicas, stage: server.stage }
      : null,
    // How to reach the environment with any etcd v3 client, once its user exists (docs/design.md, contract 4).
    connection:
      server && env.dataServerId === server.id
        ? {
            endpoints: memberEndpoints(replicas),
            username: environmentUser(env.id),
            prefix: environmentPrefix(env.id),
            // The cluster's authority (public): clients verify the members with it, and need a client certificate it signed.
            caCert: server.caCert,
          }
        : null,
    neighbours: (server?.environments ?? [])
      .filter((e) => e.id !== env.id)
      .map((e) =>
        seesAll || e.tenantId === env.tenantId
          ? { id: e.id, name: e.name, stage: e.stage, status: e.status, hidden: false }
          : { id: null, name: HIDDEN, stage: e.stage, status: e.status, hidden: true },
      ),
    replicas: replicas.map((r) => ({
      id: r.id,
      ordinal: r.ordinal,
      state: r.state,
      healthy: r.state === "running" && !!r.host && r.host.state !== "down",
      hostName: r.host?.name ?? null,
      hostState: r.host?.state ?? null,
      failureDomain: r.host?.failureDomain ?? null,
      endpoint:
        r.host && r.port && r.initialCluster
          ? memberClientUrl({ ...r, host: r.host, port: r.port, initialCluster: r.initialCluster })
          : null,
      member: r.memberId
        ? {
            id: r.memberId,
            leader: r.isLeader,
            learner: r.isLearner,
            raftTerm: r.raftTerm === null ? null : Number(r.raftTerm),
            raftIndex: r.raftIndex === null ? null : Number(r.raftIndex),
            dbSizeBytes: r.dbSizeBytes === null ? null : Number(r.dbSizeBytes),
            alarms: r.alarms,
            healthAt: r.healthAt,
          }
        : null,
      failureReason: r.failureReason,
      restarts: r.restarts,
      startedAt: r.startedAt,
      lastSeenAt: r.lastSeenAt,
    })),
    endpoints: memberEndpoints(replicas),
    jobs,
    timeline,
  });
}

function describeAudit(action: string, after: Prisma.JsonValue, reason: string | null): string {
  const a = (after ?? {}) as Record<string, unknown>;
  switch (action) {
    case "environment.create":
      return `created (${a.stage}, HA ${a.haLevel}, zone ${a.zone})`;
    case "environment.assign":
      return `${a.decision === "new" ? "new state server" : "joined state server"} ${a.stateServer}`;
    case "environment.status":
      return `status ${a.status}${a.total ? ` (${a.running}/${a.total} replicas running)` : ""}${reason ? `: ${reason}` : ""}`;
    case "environment.credential_rotate":
      return "credential regenerated (the old one stopped working)";
    case "environment.client_certificate":
      return `client certificate issued for ${a.stateServer}`;
    case "environment.ha_change":
      return `HA level ${a.haLevel} (${a.mode})`;
    case "environment.move_request":
      return `move to ${a.to} requested`;
    case "environment.move":
      return "switched to the new state server";
    default:
      return reason ?? action;
  }
}
