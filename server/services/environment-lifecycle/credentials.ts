import { newSecret } from "../../auth/password";
import { withEtcd } from "../../etcd/client";
import { setEnvironmentPassword } from "../../etcd/environment-access";
import { seal } from "../../etcd/secret-box";
import { type ServiceCtx, TX_OPTIONS, userActor } from "../actor";
import { recordAudit } from "../audit";
import { clusterRootAccess } from "../runtime/cluster-access";
import { environmentFor } from "./access";

/**
 * A new environment credential (its etcd user's password), shown once. The
 * password is changed on the cluster inside the transaction that records it,
 * so either both change or neither; etcd bumps its auth revision, so the old
 * credential's tokens stop working at once.
 */
export async function rotateEnvironmentCredential(ctx: ServiceCtx, id: string) {
  const credential = newSecret("env");
  await ctx.db.$transaction(async (tx) => {
    const env = await environmentFor(tx, ctx.caller, id, "member");
    const row = await tx.environment.update({
      where: { id },
      data: { credentialSealed: seal(credential) },
      select: { dataServerId: true },
    });
    if (row.dataServerId) {
      await withEtcd(await clusterRootAccess(tx, row.dataServerId), (root) => setEnvironmentPassword(root, id, credential));
    }
    await recordAudit(tx, {
      ...userActor(ctx),
      action: "environment.credential_rotate",
      targetType: "environment",
      targetId: id,
      tenantId: env.tenantId,
      after: { name: env.name },
    });
  }, TX_OPTIONS);
  return { id, credential };
}
