import { checkEnvironmentRequest } from "../../core/policy";
import { AppError } from "../../errors";
import { type ServiceCtx, TX_OPTIONS, userActor } from "../actor";
import { recordAudit } from "../audit";
import { loadActiveRules } from "../policies";
import { requestRuntimeJob } from "../runtime/jobs";
import { environmentFor } from "./access";
import { ensureNoOpenJob, resolveMoveTarget } from "./move";
import { changeHaQuota } from "./quota";
import type { HaLevel } from "../../core/model";

/**
 * Changes an environment's HA level within policy and quota. Alone on its
 * server, the server scales (the controller adds or retires replicas while the
 * others keep serving); on a shared server, the environment moves to a server
 * with the new replica count (make-before-break).
 */
export async function setEnvironmentHa(ctx: ServiceCtx, input: { id: string; haLevel: HaLevel }) {
  return ctx.db.$transaction(async (tx) => {
    const env = await environmentFor(tx, ctx.caller, input.id, "member");
    await tx.$queryRaw`SELECT id FROM "Environment" WHERE id = ${env.id} FOR UPDATE`;
    if (env.haLevel === input.haLevel) return { mode: "unchanged" as const, jobId: null, stateServerName: null };
    if (env.status === "failed" || env.status === "removing") throw new AppError("PRECONDITION_FAILED", `The environment is ${env.status}`);
    const violations = checkEnvironmentRequest(
      {
        tenantId: env.tenantId,
        tenantName: "",
        stage: env.stage,
        haLevel: input.haLevel,
        zoneId: env.zoneId ?? "",
        zoneName: "",
        grantedZoneIds: [env.zoneId ?? ""],
      },
      await loadActiveRules(tx),
    ).filter((v) => v.kind === "min_ha");
    if (violations.length)
      throw new AppError("POLICY_VIOLATION", violations.map((v) => v.message).join("; "), { field: violations[0]!.rule });
    await ensureNoOpenJob(tx, env);
    await changeHaQuota(tx, env.tenantId, env.stage, env.haLevel, input.haLevel);
    await tx.environment.update({ where: { id: env.id }, data: { haLevel: input.haLevel } });
    let result: { mode: "pending" | "scale" | "move"; jobId: string | null; stateServerName: string | null } = {
      mode: "pending",
      jobId: null,
      stateServerName: null,
    };
    if (env.stateServerId) {
      const server = await tx.stateServer.findUniqueOrThrow({
        where: { id: env.stateServerId },
        select: { name: true, _count: { select: { environments: true } } },
      });
      if (server._count.environments === 1) {
        // Several replicas must spread over failure domains; one may go anywhere.
        await tx.stateServer.update({ where: { id: env.stateServerId }, data: { spread: input.haLevel > 1 ? "required" : "preferred" } });
        const job = await requestRuntimeJob(tx, {
          kind: "change_ha",
          targetId: env.stateServerId,
          params: { replicas: input.haLevel, environmentId: env.id },
          actorId: ctx.caller.userId,
          actorLabel: ctx.caller.email,
          tenantId: env.tenantId,
        });
        result = { mode: "scale", jobId: job.id, stateServerName: server.name };
      } else {
        const target = await resolveMoveTarget(tx, env, "auto", input.haLevel);
        const job = await requestRuntimeJob(tx, {
          kind: "move_environment",
          targetId: env.id,
          params: { stateServerId: target.id, fromStateServerId: env.stateServerId },
          actorId: ctx.caller.userId,
          actorLabel: ctx.caller.email,
          tenantId: env.tenantId,
        });
        result = { mode: "move", jobId: job.id, stateServerName: target.name };
      }
    }
    await recordAudit(tx, {
      ...userActor(ctx),
      action: "environment.ha_change",
      targetType: "environment",
      targetId: env.id,
      tenantId: env.tenantId,
      before: { haLevel: env.haLevel },
      after: { haLevel: input.haLevel, mode: result.mode, ...(result.stateServerName ? { stateServer: result.stateServerName } : {}) },
    });
    return result;
  }, TX_OPTIONS);
}
