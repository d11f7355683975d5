import type { Db, Tx } from "../../db/client";
import type { PlacementEventKind } from "../../db/generated/client";
import { isEmptyPlan, planReconcile, type ReconcileInput, type ReconcilePlan } from "../../core/reconcile";
import { toPlacementRules } from "../../core/policy";
import type { Stage } from "../../core/model";
import { recordAudit } from "../audit";
import { loadActiveRules } from "../policies";
import { HEARTBEAT_INTERVAL_MS, MISSED_HEARTBEATS } from "./settings";
import { lockForTransaction } from "../../db/locks";

/** Desired and observed state for one pass, read inside the pass's transaction. */
export async function loadReconcileInput(tx: Tx): Promise<ReconcileInput> {
  const [hosts, servers, replicas, environments, rules] = await Promise.all([
    tx.host.findMany({
      select: {
        id: true,
        zoneId: true,
        failureDomain: true,
        cpuMillis: true,
        memoryMiB: true,
        maxReplicas: true,
        state: true,
        lastHeartbeatAt: true,
        dedicatedTenantId: true,
        environmentId: true,
        environment: { select: { isHostPool: true } },
      },
    }),
    tx.stateServer.findMany({
      select: {
        id: true,
        tenantId: true,
        stage: true,
        replicas: true,
        cpuMillis: true,
        memoryMiB: true,
        zoneId: true,
        tenancy: true,
        spread: true,
        environments: { select: { id: true, tenantId: true, stage: true }, orderBy: { id: "asc" } },
      },
    }),
    tx.replica.findMany({
      select: { id: true, stateServerId: true, ordinal: true, hostId: true, state: true, createdAt: true, memberId: true },
    }),
    tx.environment.findMany({
      where: { stateServerId: { not: null } },
      select: { id: true, stateServerId: true, status: true, dataServerId: true },
    }),
    // The same parsed rules and conversion the admin side (drain preview, compliance, the map) hands the engine.
    loadActiveRules(tx),
  ]);
  return {
    strategy: "spread",
    hosts: hosts.map((h) => ({
      id: h.id,
      zone: h.zoneId,
      failureDomain: h.failureDomain,
      cpuMillis: h.cpuMillis,
      memoryMiB: h.memoryMiB,
      maxReplicas: h.maxReplicas,
      state: h.state,
      lastHeartbeatAt: h.lastHeartbeatAt?.getTime() ?? null,
      ...(h.dedicatedTenantId ? { dedicatedTenant: h.dedicatedTenantId } : {}),
      ...(h.environmentId ? { environment: h.environmentId } : {}),
      acceptsReplicas: !h.environmentId || h.environment?.isHostPool === true,
    })),
    stateServers: servers.map((s) => ({
      id: s.id,
      tenant: serverTenant(s),
      replicas: s.replicas,
      cpuMillis: s.cpuMillis,
      memoryMiB: s.memoryMiB,
      zone: s.zoneId,
      isolation: s.tenancy,
      spread: s.spread,
      environments: s.environments.map((e) => e.id),
      ...(serverStage(s) ? { stage: serverStage(s)! } : {}),
    })),
    replicas: replicas.map((r) => ({
      id: r.id,
      stateServer: r.stateServerId,
      ordinal: r.ordinal,
      host: r.hostId,
      state: r.state,
      createdAt: r.createdAt.getTime(),
      member: r.memberId !== null,
    })),
    environments: environments.map((e) => ({
      id: e.id,
      stateServer: e.stateServerId,
      status: e.status,
      dataReady: e.dataServerId === e.stateServerId,
    })),
    rules: toPlacementRules(rules),
  };
}

interface ServerRow {
  id: string;
  tenantId: string | null;
  stage: Stage | null;
  environments: { tenantId: string; stage: Stage }[];
}

/** As `toPlacementProblem` does: the owner, else the (first) tenant of the environments served, so never-share sees shared servers too. */
const serverTenant = (s: ServerRow) => s.tenantId ?? [...new Set(s.environments.map((e) => e.tenantId))].sort()[0] ?? `shared:${s.id}`;

/** As `serverStages` does: the server's own stage, else production if it serves one, else its first environment's. */
function serverStage(s: ServerRow): Stage | null {
  if (s.stage) return s.stage;
  return s.environments.some((e) => e.stage === "production") ? "production" : (s.environments[0]?.stage ?? null);
}

class StalePass extends Error {}

const EVENT_KIND: Record<string, PlacementEventKind> = { new: "placed", failover: "failed_over", drain: "drained", replace: "moved" };

/** Persists a plan. Conditional writes: if the world moved under the pass (a host heartbeated), the pass is abandoned. */
export async function applyPlan(tx: Tx, plan: ReconcilePlan, options: { now: number; actorId: string }) {
  const actor = { actorType: "controller" as const, actorId: options.actorId, actorLabel: `controller ${options.actorId}` };
  const deadline = new Date(options.now - MISSED_HEARTBEATS * HEARTBEAT_INTERVAL_MS);
  for (const m of plan.markDown) {
    const done = await tx.host.updateMany({
      where: { id: m.host, state: { not: "down" }, OR: [{ lastHeartbeatAt: null }, { lastHeartbeatAt: { lt: deadline } }] },
      data: { state: "down" },
    });
    if (done.count !== 1) throw new StalePass(`host ${m.host} heartbeated during the pass`);
    await recordAudit(tx, {
      ...actor,
      action: "host.down",
      targetType: "host",
      targetId: m.host,
      after: { state: "down" },
      reason: `missed ${MISSED_HEARTBEATS} heartbeats (last ${m.lastHeartbeatAt ? new Date(m.lastHeartbeatAt).toISOString() : "never"})`,
    });
  }
  const events: {
    kind: PlacementEventKind;
    stateServerId: string;
    ordinal: number;
    replicaId?: string;
    fromHostId?: string | null;
    toHostId?: string | null;
    reason: string;
  }[] = [];
  if (plan.remove.length) {
    await tx.replica.deleteMany({ where: { id: { in: plan.remove.map((r) => r.replica) } } });
    for (const r of plan.remove)
      events.push({
        kind: "stopped",
        stateServerId: r.stateServer,
        ordinal: r.ordinal,
        replicaId: r.replica,
        fromHostId: r.host,
        reason: r.reason,
      });
  }
  if (plan.stop.length) {
    await tx.replica.updateMany({ where: { id: { in: plan.stop.map((r) => r.replica) } }, data: { state: "stopping" } });
    for (const r of plan.stop)
      events.push({
        kind: "stopped",
        stateServerId: r.stateServer,
        ordinal: r.ordinal,
        replicaId: r.replica,
        fromHostId: r.host,
        reason: r.reason,
      });
  }
  for (const p of plan.place) {
    const data = { hostId: p.host, state: "scheduled" as const, failureReason: null, port: null, pid: null };
    const row = p.replica
      ? await tx.replica.update({ where: { id: p.replica }, data, select: { id: true } })
      : await tx.replica.create({ data: { ...data, stateServerId: p.stateServer, ordinal: p.ordinal }, select: { id: true } });
    events.push({
      kind: EVENT_KIND[p.reason]!,
      stateServerId: p.stateServer,
      ordinal: p.ordinal,
      replicaId: row.id,
      fromHostId: p.from ?? null,
      toHostId: p.host,
      reason: p.reason,
    });
  }
  for (const u of plan.unplaced) {
    if (u.replica) {
      await tx.replica.updateMany({ where: { id: u.replica, NOT: { failureReason: u.message } }, data: { failureReason: u.message } });
      continue;
    }
    const row = await tx.replica.create({
      data: { stateServerId: u.stateServer, ordinal: u.ordinal, state: "pending", failureReason: u.message },
      select: { id: true },
    });
    events.push({ kind: "unplaced", stateServerId: u.stateServer, ordinal: u.ordinal, replicaId: row.id, reason: u.message });
  }
  if (events.length) {
    await tx.placementEvent.createMany({
      data: events.map((e) => ({ ...e, causeType: "controller" as const, actorId: options.actorId, details: {} })),
    });
    await recordAudit(tx, {
      ...actor,
      action: "placement.reconcile",
      targetType: "fleet",
      after: events.map((e) => ({
        kind: e.kind,
        stateServer: e.stateServerId,
        ordinal: e.ordinal,
        from: e.fromHostId ?? null,
        to: e.toHostId ?? null,
        reason: e.reason,
      })),
    });
  }
  for (const s of plan.statuses) {
    const env = await tx.environment.update({
      where: { id: s.environment },
      data: { status: s.to, statusReason: `${s.running}/${s.total} replicas running` },
      select: { tenantId: true },
    });
    await recordAudit(tx, {
      ...actor,
      action: "environment.status",
      targetType: "environment",
      targetId: s.environment,
      tenantId: env.tenantId,
      before: { status: s.from },
      after: { status: s.to, running: s.running, total: s.total },
    });
  }
}

export interface PassResult {
  plan: ReconcilePlan;
  applied: boolean;
  millis: number;
}

/** One level-triggered pass: read, plan (pure), apply — all in one transaction under the apply lock. */
export async function reconcileOnce(
  db: Db,
  actorId: string,
  options: { now?: () => number; observingSince?: number } = {},
): Promise<PassResult> {
  const now = options.now ?? Date.now;
  const t0 = performance.now();
  try {
    const plan = await db.$transaction(
      async (tx) => {
        await lockForTransaction(tx, "reconcileApply");
        const input = await loadReconcileInput(tx);
        // A host is only down for heartbeats it missed while this controller could watch
        // (not during its own database outage, nor before it became leader).
        const since = options.observingSince ?? 0;
        for (const h of input.hosts) if (h.lastHeartbeatAt !== null && h.lastHeartbeatAt < since) h.lastHeartbeatAt = since;
        const at = now();
        const plan = planReconcile(input, { now: at, heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS, missedHeartbeats: MISSED_HEARTBEATS });
        if (!isEmptyPlan(plan) || plan.unplaced.length) await applyPlan(tx, plan, { now: at, actorId });
        return plan;
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
    return { plan, applied: true, millis: performance.now() - t0 };
  } catch (error) {
    if (error instanceof StalePass) return { plan: emptyPlan(), applied: false, millis: performance.now() - t0 };
    throw error;
  }
}

const emptyPlan = (): ReconcilePlan => ({ markDown: [], place: [], stop: [], remove: [], unplaced: [], statuses: [] });
