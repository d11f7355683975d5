import type { z } from "zod";
import type { ZDrainHostInput } from "../contracts/host";
import { requireAdmin } from "../auth/caller";
import { type PlacementProblem, planDrain } from "../core/placement";
import { type FleetSnapshot, placementProblemOf } from "../core/policy";
import { AppError, notFound } from "../errors";
import { type ServiceCtx, TX_OPTIONS, userActor } from "./actor";
import { recordAudit } from "./audit";
import { loadFleetSnapshot } from "./fleet-snapshot";
import { lockForTransaction } from "../db/locks";

/** A snapshot served again (readFleetSnapshot under the change feed) is not turned into a problem twice; the engine never mutates it. */
const problems = new WeakMap<FleetSnapshot, PlacementProblem>();
function problemOf(snapshot: FleetSnapshot): PlacementProblem {
  let problem = problems.get(snapshot);
  if (!problem) problems.set(snapshot, (problem = placementProblemOf(snapshot)));
  return problem;
}

const slotKey = (stateServer: string, ordinal: number) => `${stateServer}#${ordinal}`;

/**
 * The engine's make-before-break plan for draining one host, from one fleet
 * snapshot, limited to the replica rows that are on the host. The preview
 * shows it and the drain persists it, so they agree. The problem is the
 * controller's (core/policy placementProblemOf): a slot already mid-move has
 * its replacement on a live host as its placement, which is where the slot is
 * going. Incremental: only the host's replicas are placed again.
 */
export function planHostDrain(snapshot: FleetSnapshot, hostId: string) {
  const plan = planDrain(problemOf(snapshot), hostId);
  const onHost = new Map<string, string>();
  for (const r of snapshot.replicas)
    if (r.hostId === hostId && r.state !== "stopping") onHost.set(slotKey(r.stateServerId, r.ordinal), r.id);
  const waveOf = new Map(plan.steps.filter((s) => s.action === "start").map((s) => [slotKey(s.stateServer, s.ordinal), s.wave]));
  // A move of a slot with no row here (placed here only in the engine's view) is the reconciler's to make.
  const moves = plan.moves.flatMap((m) => {
    const leavingReplicaId = onHost.get(slotKey(m.stateServer, m.ordinal));
    return leavingReplicaId ? [{ ...m, leavingReplicaId, wave: waveOf.get(slotKey(m.stateServer, m.ordinal)) ?? 1 }] : [];
  });
  const blocked = plan.blocked.filter((b) => onHost.has(slotKey(b.stateServer, b.ordinal)));
  return { moves, blocked, waves: Math.max(0, ...moves.map((m) => m.wave)), complete: blocked.length === 0 };
}

/**
 * Drain, in one transaction: the host becomes `draining` and each replica the
 * engine can re-place gets a `scheduled` replica row on its target host (same
 * server and ordinal), with a `drained` placement event and one audit event.
 * The controller starts the new replicas and retires the old ones once the new
 * ones run (server/core/reconcile/plan.ts: "current" vs "leaving"). Replicas
 * with nowhere to go keep running where they are and are reported back.
 */
export async function drainHost(ctx: ServiceCtx, input: z.infer<typeof ZDrainHostInput>) {
  requireAdmin(ctx.caller);
  return ctx.db.$transaction(async (tx) => {
    // A drain and a reconcile pass never interleave: the next pass sees the pre-placed
    // replicas and never places the same slot twice or over-commits a target.
    await lockForTransaction(tx, "reconcileApply");
    const host = await tx.host.findUnique({ where: { id: input.hostId }, select: { id: true, name: true, state: true } });
    if (!host) throw notFound("Host");
    if (host.state === "draining") throw new AppError("CONFLICT", `${host.name} is already draining`, { field: "hostId" });
    if (host.state === "down")
      throw new AppError("PRECONDITION_FAILED", `Cannot drain ${host.name}: it is down (its replicas are re-placed by failover)`);

    const snapshot = await loadFleetSnapshot(tx);
    const plan = planHostDrain(snapshot, host.id);
    const hostName = new Map(snapshot.hosts.map((h) => [h.id, h.name]));
    const serverName = new Map(snapshot.stateServers.map((s) => [s.id, s.name]));

    await tx.host.update({ where: { id: host.id }, data: { state: "draining" } });
    const moved = [];
    for (const { leavingReplicaId, ...m } of plan.moves) {
      const row = await tx.replica.create({
        data: { stateServerId: m.stateServer, ordinal: m.ordinal, hostId: m.to, state: "scheduled" },
        select: { id: true },
      });
      moved.push({
        ...m,
        replicaId: row.id,
        leavingReplicaId,
        stateServerName: serverName.get(m.stateServer) ?? m.stateServer,
        fromName: host.name,
        toName: hostName.get(m.to) ?? m.to,
      });
    }
    const unplaced = plan.blocked.map((b) => ({
      stateServer: b.stateServer,
      stateServerName: serverName.get(b.stateServer) ?? b.stateServer,
      ordinal: b.ordinal,
      message: b.message,
    }));

    if (moved.length) {
      await tx.placementEvent.createMany({
        data: moved.map((m) => ({
          kind: "drained" as const,
          stateServerId: m.stateServer,
          ordinal: m.ordinal,
          replicaId: m.replicaId,
          fromHostId: m.from,
          toHostId: m.to,
          reason: `drain of ${host.name}`,
          causeType: "user" as const,
          actorId: ctx.caller.userId,
          details: { leavingReplicaId: m.leavingReplicaId, wave: m.wave },
        })),
      });
    }
    await recordAudit(tx, {
      ...userActor(ctx),
      action: "host.drain",
      targetType: "host",
      targetId: host.id,
      reason: input.reason,
      before: { state: host.state },
      after: {
        state: "draining",
        moved: moved.map((m) => ({ stateServer: m.stateServerName, ordinal: m.ordinal, to: m.toName, wave: m.wave })),
        unplaced: unplaced.map((u) => ({ stateServer: u.stateServerName, ordinal: u.ordinal, message: u.message })),
      },
    });
    return { host: { id: host.id, name: host.name, state: "draining" as const }, moved, unplaced, complete: unplaced.length === 0 };
  }, TX_OPTIONS);
}
