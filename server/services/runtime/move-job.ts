import { controllerActor } from "../actor";
import type { Db } from "../../db/client";
import type { RuntimeJob } from "../../db/generated/client";
import { withEtcd } from "../../etcd/client";
import { ensureEnvironmentAccess, environmentPrefix, removeEnvironmentData, revokeEnvironmentUser } from "../../etcd/environment-access";
import { PrefixFollower } from "../../etcd/prefix-copy";
import { unseal } from "../../etcd/secret-box";
import { AppError } from "../../errors";
import { moveParams } from "../../contracts/runtime-jobs";
import { recordAudit } from "../audit";
import { removeStateServerIfEmpty } from "../environment-lifecycle/remove";
import { clusterRootAccess } from "./cluster-access";
import { progress, runningOrdinals, waitFor } from "./job-progress";

/**
 * Moves an environment to another state server, data included, without
 * losing an acknowledged write:
 * 1. the target cluster runs at full voting strength (make-before-break);
 * 2. the environment's user and role are made there with the same credential;
 * 3. its prefix is copied at one revision and the source's watch followed,
 *    while clients keep writing to the source;
 * 4. cut-over: the user is deleted on the source (nothing more is
 *    acknowledged there), the target is made equal to the source's final state,
 *    and the environment switches (its connection now lists the target);
 * 5. the source's keys and role go, and a source left empty is removed.
 */
export async function moveEnvironmentJob(db: Db, job: RuntimeJob, workerId: string, timeoutMs: number): Promise<void> {
  const target = moveParams(job.params).stateServerId;
  await waitFor(
    db,
    job.id,
    async () => {
      const server = await db.stateServer.findUnique({ where: { id: target }, select: { replicas: true, clusterState: true } });
      if (!server) throw new AppError("NOT_FOUND", "Target state server not found");
      const running = server.clusterState === "ready" ? await runningOrdinals(db, target) : 0;
      return {
        done: running >= server.replicas,
        progress: (40 * running) / server.replicas,
        detail: `${running}/${server.replicas} members of the target voting`,
      };
    },
    timeoutMs,
  );
  const env = await db.environment.findUniqueOrThrow({
    where: { id: job.targetId },
    select: { id: true, name: true, tenantId: true, stateServerId: true, dataServerId: true, credentialSealed: true },
  });
  if (env.stateServerId === target && env.dataServerId === target) return; // a retry after the switch
  const source = env.dataServerId ?? env.stateServerId;
  const credential = unseal(env.credentialSealed);
  const prefix = environmentPrefix(env.id);
  let stats = { copied: 0, followed: 0, reconciled: 0 };
  await withEtcd(await clusterRootAccess(db, target), async (targetRoot) => {
    await ensureEnvironmentAccess(targetRoot, env.id, credential);
    if (!source || source === target) return;
    await withEtcd(await clusterRootAccess(db, source), async (sourceRoot) => {
      const follower = new PrefixFollower(sourceRoot, targetRoot, prefix);
      const revision = await follower.start();
      await progress(db, job.id, 60, `copied ${follower.copied} keys at revision ${revision}; following the source`);
      try {
        // Let writes in flight land while following, then cut over.
        await new Promise((r) => setTimeout(r, 500));
        await revokeEnvironmentUser(sourceRoot, env.id);
        stats = await follower.finish();
      } finally {
        await follower.cancel();
      }
    });
  });
  await progress(db, job.id, 90, `cut over: ${stats.copied} copied, ${stats.followed} followed, ${stats.reconciled} reconciled`);
  await db.$transaction(async (tx) => {
    await tx.environment.update({ where: { id: env.id }, data: { stateServerId: target, dataServerId: target } });
    await recordAudit(tx, {
      ...controllerActor(workerId),
      action: "environment.move",
      targetType: "environment",
      targetId: env.id,
      tenantId: env.tenantId,
      before: { stateServerId: env.stateServerId },
      after: { stateServerId: target, ...stats },
      reason: `job ${job.id}`,
    });
  });
  if (source && source !== target) {
    const left = await db.environment.count({ where: { stateServerId: source } });
    if (left > 0) await withEtcd(await clusterRootAccess(db, source), (root) => removeEnvironmentData(root, env.id)).catch(() => undefined);
    await db.$transaction((tx) => removeStateServerIfEmpty(tx, source, controllerActor(workerId), `environment ${env.name} moved away`));
  }
}
