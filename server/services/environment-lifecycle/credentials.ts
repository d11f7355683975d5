import { newSecret } from "../../auth/password";
import { withEtcd } from "../../etcd/client";
import { setEnvironmentPassword } from "../../etcd/environment-access";
import { seal } from "../../etcd/secret-box";
import { type ServiceCtx, TX_OPTIONS, userActor } from "../actor";
import { recordAudit } from "../audit";
import { clusterRootAccess } from "../runtime/cluster-access";
import { clientTls } from "../runtime/cluster-tls";
import { AppError } from "../../errors";
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

/**
 * A client certificate for the environment's state server: its members admit
 * no caller without one (mutual TLS). It only admits: every key still needs the
 * environment's credential, so issuing one to a tenant member costs no secret.
 * Issued fresh on each call (nothing kept); a move to another state server
 * needs a new one, like new endpoints.
 */
export async function issueClientCertificate(ctx: ServiceCtx, id: string) {
  const env = await environmentFor(ctx.db, ctx.caller, id, "member");
  const { dataServerId } = await ctx.db.environment.findUniqueOrThrow({ where: { id }, select: { dataServerId: true } });
  const server = dataServerId
    ? await ctx.db.stateServer.findUnique({ where: { id: dataServerId }, select: { name: true, caCert: true, caKeySealed: true } })
    : null;
  if (!server?.caCert || !server.caKeySealed) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `${env.name} has no TLS state server yet: its state server is still starting, or predates TLS`,
    );
  }
  const tls = clientTls({ caCert: server.caCert, caKeySealed: server.caKeySealed }, `client-${env.id}`);
  await ctx.db.$transaction((tx) =>
    recordAudit(tx, {
      ...userActor(ctx),
      action: "environment.client_certificate",
      targetType: "environment",
      targetId: env.id,
      tenantId: env.tenantId,
      after: { name: env.name, stateServer: server.name },
    }),
  );
  return { id: env.id, ...tls };
}
