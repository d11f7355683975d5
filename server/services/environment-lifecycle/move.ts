import type { Tx } from "../../db/client";
import { AppError } from "../../errors";
import { type ServiceCtx, TX_OPTIONS, userActor } from "../actor";
import { recordAudit } from "../audit";
import { requestRuntimeJob } from "../runtime/jobs";
import { environmentFor } from "./access";
import { chooseStateServer, createStateServer } from "./server-choice";

type Env = Awaited<ReturnType<typeof environmentFor>>;

/** The target server: a new dedicated one, the engine's pick, or a named server it accepts. */
export async function resolveMoveTarget(tx: Tx, env: Env, target: string, haLevel = env.haLevel) {
  const zoneId = env.zoneId;
  if (!zoneId) throw new AppError("PRECONDITION_FAILED", "The environment has no security zone");
  if (target === "dedicated") {
    return createStateServer(tx, { tenantId: env.tenantId, stage: env.stage, replicas: haLevel, zoneId, tenancy: "dedicated" });
  }
  const choice = await chooseStateServer(tx, {
    environmentId: env.id,
    tenantId: env.tenantId,
    stage: env.stage,
    haLevel,
    zoneId,
    excludeServerId: env.stateServerId,
  });
  const { placement } = choice;
  if (target === "auto") {
    return placement.decision === "existing"
      ? { id: placement.stateServer, name: choice.names.get(placement.stateServer)! }
      : createStateServer(tx, {
          tenantId: env.tenantId,
          stage: env.stage,
          replicas: haLevel,
          zoneId,
          tenancy: placement.stateServer.isolation,
        });
  }
  if (target === env.stateServerId)
    throw new AppError("VALIDATION", "stateServerId: the environment is already there", { field: "stateServerId" });
  if (placement.ranking.some((r) => r.stateServer === target)) return { id: target, name: choice.names.get(target)! };
  const rejected = placement.rejected.find((r) => r.stateServer === target);
  if (!rejected) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `stateServerId: not a server this environment can join (it needs ${haLevel} replica(s) in its zone)`,
      { field: "stateServerId" },
    );
  }
  throw new AppError("POLICY_VIOLATION", `stateServerId: ${rejected.message.replace(target, choice.names.get(target) ?? target)}`, {
    field: "stateServerId",
  });
}

/** One change at a time: a queued or running job on the environment or its server refuses another. */
export async function ensureNoOpenJob(tx: Tx, env: { id: string; stateServerId: string | null }) {
  const targets = env.stateServerId ? [env.id, env.stateServerId] : [env.id];
  const open = await tx.runtimeJob.findFirst({
    where: { targetId: { in: targets }, state: { in: ["queued", "running"] } },
    select: { kind: true },
  });
  if (open)
    throw new AppError("CONFLICT", `A ${open.kind.replace("_", " ")} job is still running here; wait for it to finish`, { field: "job" });
}

/**
 * Moves an environment to another state server as a tracked job: the target's
 * replicas run first, then the environment switches over (make-before-break),
 * and a source server left empty is removed.
 */
export async function moveEnvironment(ctx: ServiceCtx, input: { id: string; target: string }) {
  return ctx.db.$transaction(async (tx) => {
    const env = await environmentFor(tx, ctx.caller, input.id, "member");
    await tx.$queryRaw`SELECT id FROM "Environment" WHERE id = ${env.id} FOR UPDATE`;
    if (!env.stateServerId || !["running", "degraded", "starting", "unavailable"].includes(env.status)) {
      throw new AppError("PRECONDITION_FAILED", `The environment is ${env.status}: it can move once it has a state server`);
    }
    await ensureNoOpenJob(tx, env);
    const target = await resolveMoveTarget(tx, env, input.target);
    const job = await requestRuntimeJob(tx, {
      kind: "move_environment",
      targetId: env.id,
      params: { stateServerId: target.id, fromStateServerId: env.stateServerId },
      actorId: ctx.caller.userId,
      actorLabel: ctx.caller.email,
      tenantId: env.tenantId,
    });
    await recordAudit(tx, {
      ...userActor(ctx),
      action: "environment.move_request",
      targetType: "environment",
      targetId: env.id,
      tenantId: env.tenantId,
      after: { to: target.name, jobId: job.id },
    });
    return { jobId: job.id, stateServerId: target.id, stateServerName: target.name };
  }, TX_OPTIONS);
}
