import type { Db } from "../../db/client";
import { controllerActor, TX_OPTIONS } from "../actor";
import { recordAudit } from "../audit";
import { loadActiveRules } from "../policies";
import { chooseStateServer, createStateServer } from "./server-choice";
import { lockForTransaction } from "../../db/locks";

/**
 * The controller's first step for new environments (pending -> placing): each
 * pending environment joins an existing state server or gets a new one, as the
 * placement engine decides; the reconcile pass then places the server's
 * replicas on hosts. An environment that cannot be placed at all fails with
 * the reason. Returns how many environments were handled.
 */
export async function assignPendingEnvironments(db: Db, actorId: string, now = Date.now()): Promise<number> {
  const pending = await db.environment.findMany({
    where: { status: "pending", stateServerId: null },
    select: { id: true },
    orderBy: { createdAt: "asc" },
    take: 100,
  });
  if (!pending.length) return 0;
  return db.$transaction(async (tx) => {
    await lockForTransaction(tx, "assignServers");
    const rules = await loadActiveRules(tx);
    let handled = 0;
    for (const { id } of pending) {
      const env = await tx.environment.findUnique({
        where: { id },
        select: { id: true, tenantId: true, stage: true, haLevel: true, zoneId: true, status: true, stateServerId: true },
      });
      if (!env || env.status !== "pending" || env.stateServerId) continue;
      handled++;
      const choice = env.zoneId
        ? await chooseStateServer(
            tx,
            { environmentId: env.id, tenantId: env.tenantId, stage: env.stage, haLevel: env.haLevel, zoneId: env.zoneId },
            rules,
            now,
          )
        : null;
      if (!choice || !choice.granted) {
        const reason = choice ? choice.placement.message : "the environment has no security zone";
        await tx.environment.update({ where: { id }, data: { status: "failed", statusReason: reason } });
        await recordAudit(tx, {
          ...controllerActor(actorId),
          action: "environment.status",
          targetType: "environment",
          targetId: id,
          tenantId: env.tenantId,
          before: { status: "pending" },
          after: { status: "failed" },
          reason,
        });
        continue;
      }
      const { placement } = choice;
      const server =
        placement.decision === "existing"
          ? { id: placement.stateServer, name: choice.names.get(placement.stateServer)! }
          : await createStateServer(tx, {
              tenantId: env.tenantId,
              stage: env.stage,
              replicas: env.haLevel,
              zoneId: env.zoneId!,
              tenancy: placement.stateServer.isolation,
            });
      await tx.environment.update({
        where: { id },
        data: {
          stateServerId: server.id,
          status: "placing",
          statusReason: placement.decision === "existing" ? `joined ${server.name}` : `new state server ${server.name}`,
        },
      });
      await recordAudit(tx, {
        ...controllerActor(actorId),
        action: "environment.assign",
        targetType: "environment",
        targetId: id,
        tenantId: env.tenantId,
        before: { status: "pending" },
        after: { status: "placing", stateServer: server.name, decision: placement.decision },
        reason: placement.message.replaceAll(placement.decision === "existing" ? placement.stateServer : "\u0000", server.name),
      });
    }
    return handled;
  }, TX_OPTIONS);
}
