import { hashSecret, newSecret } from "../../auth/password";
import { type ServiceCtx, TX_OPTIONS, userActor } from "../actor";
import { recordAudit } from "../audit";
import { environmentFor } from "./access";

/**
 * A new environment credential, shown once. Replicas check the hash on every
 * request, so the old credential stops working as soon as this commits.
 */
export async function rotateEnvironmentCredential(ctx: ServiceCtx, id: string) {
  const credential = newSecret("env");
  await ctx.db.$transaction(async (tx) => {
    const env = await environmentFor(tx, ctx.caller, id, "member");
    await tx.environment.update({ where: { id }, data: { credentialHash: hashSecret(credential) } });
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
