import { controllerActor } from "../actor";
import type PgBoss from "pg-boss";
import type { Db, Tx } from "../../db/client";
import type { Prisma } from "../../db/generated/client";
import { changeHaParams, JOB_QUEUES, type JobRequest } from "../../contracts/runtime-jobs";
import { AppError } from "../../errors";
import { recordAudit } from "../audit";
import { moveEnvironmentJob } from "./move-job";
import { runningOrdinals, waitFor } from "./job-progress";

/**
 * Durable runtime work. A RuntimeJob row (written in the requester's
 * transaction, with its audit event) is the user-visible record with progress;
 * the controller leader hands queued rows to pg-boss, whose workers (every
 * controller instance) run them with retries and backoff. A handler only sets
 * desired state and waits for the reconciler to converge, so a retry is safe.
 */

export type RequestJobInput = JobRequest & {
  targetId: string;
  actorId?: string | null;
  actorLabel: string;
  tenantId?: string | null;
};

/** Queues a job inside the caller's transaction (the admin side calls this for drain, move, HA change). */
export async function requestRuntimeJob(tx: Tx, input: RequestJobInput) {
  const params = (input.params ?? {}) as Prisma.InputJsonObject;
  const job = await tx.runtimeJob.create({
    data: { kind: input.kind, targetId: input.targetId, params, createdById: input.actorId ?? null },
    select: { id: true },
  });
  await recordAudit(tx, {
    actorType: input.actorId ? "user" : "system",
    actorId: input.actorId ?? null,
    actorLabel: input.actorLabel,
    action: `runtime_job.${input.kind}`,
    targetType: input.kind === "drain_host" ? "host" : input.kind === "change_ha" ? "state_server" : "environment",
    targetId: input.targetId,
    tenantId: input.tenantId ?? null,
    after: { jobId: job.id, params },
  });
  return job;
}

/** Leader: hands queued rows to pg-boss (idempotent: the row id is the singleton key). */
export const JOB_RETRY = { retryLimit: 5, retryDelay: 2, retryBackoff: true };

export async function dispatchQueuedJobs(
  db: Db,
  boss: PgBoss,
  retry: { retryLimit: number; retryDelay: number; retryBackoff: boolean } = JOB_RETRY,
): Promise<number> {
  const queued = await db.runtimeJob.findMany({ where: { state: "queued", bossJobId: null }, take: 50, orderBy: { createdAt: "asc" } });
  for (const job of queued) {
    const bossJobId = await boss.send(
      JOB_QUEUES[job.kind],
      { runtimeJobId: job.id },
      { singletonKey: job.id, ...retry, expireInSeconds: 600 },
    );
    await db.runtimeJob.update({ where: { id: job.id }, data: { bossJobId: bossJobId ?? "duplicate" } });
  }
  await failAbandonedJobs(db, boss);
  return queued.length;
}

/** A running attempt records progress every half second; a row quiet for this long has no live worker. */
const QUIET_MS = 30_000;

/**
 * Safety net for attempts that never reached their catch (the worker's process
 * died, pg-boss expired the job): when pg-boss has given up on a quiet row's
 * job, the row ends `failed` with pg-boss's reason instead of staying `running`.
 */
async function failAbandonedJobs(db: Db, boss: PgBoss) {
  const quiet = await db.runtimeJob.findMany({
    where: {
      state: { in: ["queued", "running"] },
      AND: [{ bossJobId: { not: null } }, { bossJobId: { not: "duplicate" } }],
      updatedAt: { lt: new Date(Date.now() - QUIET_MS) },
    },
    select: { id: true, kind: true, bossJobId: true },
    take: 20,
  });
  for (const row of quiet) {
    const queued = await boss.getJobById(JOB_QUEUES[row.kind], row.bossJobId!, { includeArchive: true });
    if (queued && queued.state !== "failed" && queued.state !== "cancelled") continue;
    const reason = queued
      ? `job queue gave up (${queued.state}): ${JSON.stringify(queued.output ?? {}).slice(0, 300)}`
      : "job queue no longer has the job";
    await db.$transaction(async (tx) => {
      const done = await tx.runtimeJob.updateMany({
        where: { id: row.id, state: { in: ["queued", "running"] } },
        data: { state: "failed", error: reason, finishedAt: new Date() },
      });
      if (done.count)
        await recordAudit(tx, {
          actorType: "controller",
          actorLabel: "controller",
          action: "runtime_job.failed",
          targetType: "runtime_job",
          targetId: row.id,
          reason,
        });
    });
  }
}

/** How long one attempt waits for the reconciler before pg-boss retries it. */
const JOB_TIMEOUT_MS = 120_000;

/**
 * Runs one attempt of a job. `finalAttempt` (pg-boss has no retry left): a
 * failure is then terminal too, so the row ends `failed` with the reason
 * instead of staying `running` forever.
 */
export async function runJob(
  db: Db,
  runtimeJobId: string,
  workerId: string,
  timeoutMs = JOB_TIMEOUT_MS,
  finalAttempt = false,
): Promise<void> {
  const job = await db.runtimeJob.findUnique({ where: { id: runtimeJobId } });
  if (!job || job.state === "succeeded" || job.state === "failed") return;
  await db.runtimeJob.update({ where: { id: job.id }, data: { state: "running", attempts: { increment: 1 } } });
  try {
    if (job.kind === "drain_host") {
      const initial = await db.$transaction(async (tx) => {
        const host = await tx.host.findUnique({ where: { id: job.targetId }, select: { state: true } });
        if (!host) throw new AppError("NOT_FOUND", "Host not found");
        if (host.state === "ready" || host.state === "cordoned") {
          await tx.host.update({ where: { id: job.targetId }, data: { state: "draining" } });
          await recordAudit(tx, {
            ...controllerActor(workerId),
            action: "host.draining",
            targetType: "host",
            targetId: job.targetId,
            before: { state: host.state },
            after: { state: "draining" },
            reason: `job ${job.id}`,
          });
        }
        return tx.replica.count({ where: { hostId: job.targetId, state: { not: "stopping" } } });
      });
      await waitFor(
        db,
        job.id,
        async () => {
          const left = await db.replica.count({ where: { hostId: job.targetId } });
          return {
            done: left === 0,
            progress: initial ? (100 * (initial - Math.min(left, initial))) / initial : 100,
            detail: `${left} replica(s) left on the host`,
          };
        },
        timeoutMs,
      );
    } else if (job.kind === "change_ha") {
      const { replicas } = changeHaParams(job.params);
      await db.$transaction(async (tx) => {
        const before = await tx.stateServer.findUniqueOrThrow({ where: { id: job.targetId }, select: { replicas: true } });
        await tx.stateServer.update({ where: { id: job.targetId }, data: { replicas } });
        await recordAudit(tx, {
          ...controllerActor(workerId),
          action: "state_server.ha_change",
          targetType: "state_server",
          targetId: job.targetId,
          before,
          after: { replicas },
          reason: `job ${job.id}`,
        });
      });
      await waitFor(
        db,
        job.id,
        async () => {
          const running = await runningOrdinals(db, job.targetId);
          const extra = await db.replica.count({ where: { stateServerId: job.targetId, ordinal: { gte: replicas } } });
          return {
            done: running >= replicas && extra === 0,
            progress: (100 * Math.min(running, replicas)) / replicas,
            detail: `${running}/${replicas} replicas running`,
          };
        },
        timeoutMs,
      );
    } else {
      await moveEnvironmentJob(db, job, workerId, timeoutMs);
    }
    await db.runtimeJob.update({ where: { id: job.id }, data: { state: "succeeded", progress: 100, finishedAt: new Date(), error: null } });
  } catch (error) {
    const terminal = error instanceof AppError || finalAttempt;
    const attempts = job.attempts + 1;
    const message = (error as Error).message;
    if (terminal) {
      // The row and its audit event together: whoever sees `failed` sees why.
      await db.$transaction(async (tx) => {
        await tx.runtimeJob.update({
          where: { id: job.id },
          data: {
            state: "failed",
            error: error instanceof AppError ? message : `gave up after ${attempts} attempts: ${message}`,
            finishedAt: new Date(),
          },
        });
        await recordAudit(tx, {
          ...controllerActor(workerId),
          action: "runtime_job.failed",
          targetType: "runtime_job",
          targetId: job.id,
          after: { kind: job.kind, targetId: job.targetId, attempts },
          reason: message.slice(0, 500),
        });
      });
    } else {
      await db.runtimeJob.update({
        where: { id: job.id },
        data: { state: "running", error: message, detail: `attempt ${attempts} failed (${message}); retrying` },
      });
    }
    // Terminal errors are not retried; the rest throw so pg-boss retries with backoff.
    if (!terminal) throw error;
  }
}

/** Creates the queues and registers a worker for each kind on this controller instance. */
export async function startJobWorkers(db: Db, boss: PgBoss, workerId: string) {
  for (const queue of Object.values(JOB_QUEUES)) {
    await boss.createQueue(queue);
    await boss.work<{ runtimeJobId: string }>(queue, { pollingIntervalSeconds: 1, batchSize: 1, includeMetadata: true }, async ([job]) => {
      if (job) await runJob(db, job.data.runtimeJobId, workerId, JOB_TIMEOUT_MS, job.retryCount >= job.retryLimit);
    });
  }
}
