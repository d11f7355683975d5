import { z } from "zod";
import { requireAdmin } from "../auth/caller";
import { type FleetSnapshot, findViolations, planRemediation, policyWorldOf } from "../core/policy";
import { AppError } from "../errors";
import { type ServiceCtx, TX_OPTIONS, userActor } from "./actor";
import { recordAudit } from "./audit";
import { requireFleetReader } from "../auth/caller";
import { loadFleetSnapshot, readFleetSnapshot } from "./fleet-snapshot";

export const ZApplyRemediationInput = z.object({
  /** The moves the admin saw (replica id -> target host); refused if the plan changed since. */
  moves: z
    .array(z.object({ replicaId: z.string().min(1).max(64), to: z.string().min(1).max(64) }))
    .min(1)
    .max(500),
  reason: z.string().trim().max(500).optional(),
});

function named(world: FleetSnapshot) {
  const hosts = new Map(world.hosts.map((h) => [h.id, h.name]));
  const servers = new Map(world.stateServers.map((s) => [s.id, s.name]));
  return { host: (id: string) => hosts.get(id) ?? id, server: (id: string) => servers.get(id) ?? id };
}

/** Everything that breaks a rule right now, with the engine's re-place plan for the replicas among it. */
export async function complianceReport(ctx: ServiceCtx) {
  requireFleetReader(ctx.caller);
  const snapshot = await readFleetSnapshot(ctx.db);
  const world = policyWorldOf(snapshot);
  const rules = snapshot.rules;
  const violations = findViolations(world, rules);
  const plan = planRemediation(snapshot, violations);
  const n = named(snapshot);
  const tenants = new Map(world.tenants.map((t) => [t.id, t.name]));
  const tenantOfServer = new Map<string, string>();
  for (const e of world.environments) if (e.stateServerId) tenantOfServer.set(e.stateServerId, e.tenantId);
  return {
    checkedAt: new Date(),
    rules: rules.length,
    violations: violations.map((v, i) => {
      const tenantId = v.target.type === "environment" ? v.target.tenantId : (tenantOfServer.get(v.target.stateServerId) ?? null);
      return { key: `${i}:${v.rule}:${v.target.id}`, ...v, tenantName: tenantId ? (tenants.get(tenantId) ?? null) : null };
    }),
    plan: {
      moves: plan.moves.map((m) => ({ ...m, stateServerName: n.server(m.stateServerId), fromName: n.host(m.from), toName: n.host(m.to) })),
      unplaced: plan.unplaced.map((u) => ({ ...u, stateServerName: n.server(u.stateServerId) })),
    },
  };
}

/**
 * Applies the re-place plan: each moved replica gets its new host and goes back
 * to `scheduled`, so the agents stop it on the old host and start it on the new one.
 * The plan is recomputed in the transaction; moves the admin did not see are refused.
 */
export async function applyRemediation(ctx: ServiceCtx, input: z.infer<typeof ZApplyRemediationInput>) {
  requireAdmin(ctx.caller);
  return ctx.db.$transaction(async (tx) => {
    const snapshot = await loadFleetSnapshot(tx);
    const plan = planRemediation(snapshot, findViolations(policyWorldOf(snapshot), snapshot.rules));
    const current = new Map(plan.moves.map((m) => [m.replicaId, m]));
    const stale = input.moves.filter((m) => current.get(m.replicaId)?.to !== m.to);
    if (stale.length) {
      throw new AppError("CONFLICT", `The plan changed since it was shown (${stale.length} move(s) differ): reload the compliance page`);
    }
    for (const m of input.moves) {
      const move = current.get(m.replicaId)!;
      await tx.replica.update({ where: { id: m.replicaId }, data: { hostId: m.to, state: "scheduled" } });
      await tx.placementEvent.create({
        data: {
          kind: "moved",
          stateServerId: move.stateServerId,
          ordinal: move.ordinal,
          replicaId: m.replicaId,
          fromHostId: move.from,
          toHostId: move.to,
          reason: "policy remediation",
          causeType: "user",
          actorId: ctx.caller.userId,
        },
      });
    }
    await recordAudit(tx, {
      ...userActor(ctx),
      action: "compliance.apply",
      targetType: "placement",
      reason: input.reason,
      after: { moves: input.moves.map((m) => ({ replicaId: m.replicaId, from: current.get(m.replicaId)!.from, to: m.to })) },
    });
    return { applied: input.moves.length };
  }, TX_OPTIONS);
}
