import type { Db } from "../../db/client";
import { withEtcd } from "../../etcd/client";
import { ensureEnvironmentAccess, removeEnvironmentData } from "../../etcd/environment-access";
import { unseal } from "../../etcd/secret-box";
import { controllerActor, TX_OPTIONS } from "../actor";
import { recordAudit } from "../audit";
import { removeStateServerIfEmpty } from "../environment-lifecycle/remove";
import { clusterRootAccess } from "./cluster-access";

/**
 * Environments on a ready cluster get their etcd role (READWRITE on
 * `/env/<id>/`) and user (password = the environment's credential); until then
 * the environment is not writable and stays "starting". An environment in a
 * move is the move job's to set up.
 */
export async function provisionEnvironments(db: Db, actorId: string): Promise<number> {
  const waiting = await db.environment.findMany({
    where: {
      dataServerId: null,
      stateServerId: { not: null },
      status: { notIn: ["removing", "failed"] },
      stateServer: { clusterState: "ready" },
      credentialSealed: { not: "" },
    },
    select: { id: true, tenantId: true, stateServerId: true, credentialSealed: true },
    take: 50,
  });
  let done = 0;
  for (const env of waiting) {
    try {
      await withEtcd(await clusterRootAccess(db, env.stateServerId!), (root) =>
        ensureEnvironmentAccess(root, env.id, unseal(env.credentialSealed)),
      );
    } catch {
      continue; // the cluster is busy or lost quorum: the next pass tries again
    }
    await db.$transaction(async (tx) => {
      const updated = await tx.environment.updateMany({
        where: { id: env.id, stateServerId: env.stateServerId, dataServerId: null },
        data: { dataServerId: env.stateServerId },
      });
      if (updated.count)
        await recordAudit(tx, {
          ...controllerActor(actorId),
          action: "environment.data_ready",
          targetType: "environment",
          targetId: env.id,
          tenantId: env.tenantId,
          after: { prefix: `/env/${env.id}/` },
        });
    });
    done++;
  }
  return done;
}

/**
 * Removed environments: their keys, user and role go from the cluster, then
 * the row; a server left empty is removed whole (its agents stop and wipe the
 * members). A cluster that cannot be reached keeps the row for the next pass,
 * unless the environment was the server's last (the data dies with the members).
 */
export async function cleanUpRemovedEnvironments(db: Db, actorId: string): Promise<number> {
  const removing = await db.environment.findMany({
    where: { status: "removing" },
    select: {
      id: true,
      name: true,
      dataServerId: true,
      stateServerId: true,
      stateServer: { select: { _count: { select: { environments: true } } } },
    },
    take: 50,
  });
  let done = 0;
  for (const env of removing) {
    const shared = (env.stateServer?._count.environments ?? 0) > 1;
    if (env.dataServerId && shared) {
      try {
        await withEtcd(await clusterRootAccess(db, env.dataServerId), (root) => removeEnvironmentData(root, env.id));
      } catch {
        continue;
      }
    }
    await db.$transaction(async (tx) => {
      const gone = await tx.environment.deleteMany({ where: { id: env.id, status: "removing" } });
      if (gone.count && env.stateServerId) {
        await removeStateServerIfEmpty(tx, env.stateServerId, controllerActor(actorId), `last environment ${env.name} removed`);
      }
    }, TX_OPTIONS);
    done++;
  }
  return done;
}
