import type { Db, Tx } from "../../db/client";
import type { PlacementEventKind } from "../../db/generated/client";
import { isEmptyPlan, planReconcile, type ReconcileInput, type ReconcilePlan } from "../../core/reconcile";
import { reconcileInputOf } from "../../core/policy";
import { controllerActor } from "../actor";
import { recordAudit } from "../audit";
import { loadFleetSnapshot } from "../fleet-snapshot";
import { HEARTBEAT_INTERVAL_MS, MISSED_HEARTBEATS } from "./settings";
import { lockForTransaction } from "../../db/locks";

/** Desired and observed state for one pass, read inside the pass's transaction: the one fleet snapshot every preview reads too. */
export async function loadReconcileInput(tx: Tx): Promise<ReconcileInput> {
  return reconcileInputOf(await loadFleetSnapshot(tx));
}

class StalePass extends Error {}

const EVENT_KIND: Record<string, PlacementEventKind> = { new: "placed", failover: "failed_over", drain: "drained", replace: "moved" };

/** Persists a plan. Conditional writes: if the world moved under the pass (a host heartbeated), the pass is abandoned. */
export async function applyPlan(tx: Tx, plan: ReconcilePlan, options: { now: number; actorId: string }) {
  const actor = controllerActor(options.actorId);
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
