import type { Tx } from "../../db/client";
import { AppError } from "../../errors";
import { type ServiceCtx, TX_OPTIONS, userActor } from "../actor";
import { type AuditInput, recordAudit } from "../audit";
import { environmentFor } from "./access";
import { releaseEnvironmentQuota } from "./quota";
import { lockForTransaction } from "../../db/locks";

type Actor = Pick<AuditInput, "actorType" | "actorId" | "actorLabel" | "requestId">;

/**
 * Deletes a state server that serves no environment any more; its replica rows
 * go with it, so the agents stop the processes on their next heartbeat.
 */
export async function removeStateServerIfEmpty(tx: Tx, stateServerId: string, actor: Actor, reason: string): Promise<boolean> {
  // Never delete a server in the middle of a pass that places its replicas.
  await lockForTransaction(tx, "reconcileApply");
  const server = await tx.stateServer.findUnique({
    where: { id: stateServerId },
    select: {
      id: true,
      name: true,
      _count: { select: { environments: true } },
      replicaRows: { select: { id: true, ordinal: true, hostId: true } },
    },
  });
  if (!server || server._count.environments > 0) return false;
  await tx.stateServer.delete({ where: { id: server.id } });
  if (server.replicaRows.length) {
    await tx.placementEvent.createMany({
      data: server.replicaRows.map((r) => ({
        kind: "stopped" as const,
        stateServerId: server.id,
        ordinal: r.ordinal,
        replicaId: r.id,
        fromHostId: r.hostId,
        reason: "server-removed",
        causeType: actor.actorType,
        actorId: actor.actorId ?? null,
      })),
    });
  }
  await recordAudit(tx, {
    ...actor,
    action: "state_server.remove",
    targetType: "state_server",
    targetId: server.id,
    before: { name: server.name, replicas: server.replicaRows.length },
    reason,
  });
  return true;
}

/**
 * Removes an environment: the caller must type its name; it turns `removing`
 * and its quota is released at once, in one transaction with the audit event.
 * The controller then deletes its keys, etcd user and role from its state
 * server and the row (services/runtime/environment-data.ts), and removes the
 * server when it was the last environment there.
 */
export async function removeEnvironment(ctx: ServiceCtx, input: { id: string; confirmName: string }) {
  return ctx.db.$transaction(async (tx) => {
    const env = await environmentFor(tx, ctx.caller, input.id, "member");
    if (input.confirmName !== env.name) {
      throw new AppError("VALIDATION", `confirmName: type the environment's name (${env.name}) to remove it`, { field: "confirmName" });
    }
    // Lock the row: a concurrent removal waits, then finds it already removing.
    const locked = await tx.$queryRaw<{ status: string }[]>`SELECT status::text FROM "Environment" WHERE id = ${env.id} FOR UPDATE`;
    if (!locked.length || locked[0]!.status === "removing") throw new AppError("NOT_FOUND", "Environment not found");
    await tx.environment.update({ where: { id: env.id }, data: { status: "removing", statusReason: "removal requested" } });
    await releaseEnvironmentQuota(tx, env.tenantId, env.stage, env.haLevel);
    await recordAudit(tx, {
      ...userActor(ctx),
      action: "environment.remove",
      targetType: "environment",
      targetId: env.id,
      tenantId: env.tenantId,
      before: { name: env.name, stage: env.stage, haLevel: env.haLevel, status: env.status, stateServerId: env.stateServerId },
    });
    return { id: env.id, name: env.name, status: "removing" as const };
  }, TX_OPTIONS);
}
