import { hashSecret, newSecret } from "../../auth/password";
import type { Tx } from "../../db/client";
import { AppError } from "../../errors";
import { recordAudit } from "../audit";

export interface CreateJoinTokenInput {
  zoneId: string;
  failureDomain?: string | null;
  /** Hosted mode: the machine that joins with this token belongs to this environment. */
  environmentId?: string | null;
  /** Lifetime in seconds (1 minute to 7 days). */
  ttl: number;
  createdById?: string | null;
  actorLabel?: string;
}

/**
 * A one-time token an agent exchanges for a host credential. Only its hash is
 * stored; the token is returned once. Call inside the caller's transaction.
 */
export async function createJoinToken(tx: Tx, input: CreateJoinTokenInput) {
  if (!Number.isInteger(input.ttl) || input.ttl < 60 || input.ttl > 7 * 24 * 3600) {
    throw new AppError("VALIDATION", "ttl: between 60 seconds and 7 days", { field: "ttl" });
  }
  const zone = await tx.securityZone.findUnique({ where: { id: input.zoneId }, select: { id: true } });
  if (!zone) throw new AppError("NOT_FOUND", "Security zone not found", { field: "zoneId" });
  let tenantId: string | null = null;
  if (input.environmentId) {
    const env = await tx.environment.findUnique({ where: { id: input.environmentId }, select: { tenantId: true } });
    if (!env) throw new AppError("NOT_FOUND", "Environment not found", { field: "environmentId" });
    tenantId = env.tenantId;
  }
  const token = newSecret("join");
  const expiresAt = new Date(Date.now() + input.ttl * 1000);
  const row = await tx.hostJoinToken.create({
    data: {
      tokenHash: hashSecret(token),
      zoneId: input.zoneId,
      failureDomain: input.failureDomain ?? null,
      environmentId: input.environmentId ?? null,
      createdById: input.createdById ?? null,
      expiresAt,
    },
    select: { id: true },
  });
  await recordAudit(tx, {
    actorType: input.createdById ? "user" : "system",
    actorId: input.createdById ?? null,
    actorLabel: input.actorLabel ?? (input.createdById ? "user" : "system"),
    action: "host.join_token.create",
    targetType: "host_join_token",
    targetId: row.id,
    tenantId,
    after: {
      zoneId: input.zoneId,
      failureDomain: input.failureDomain ?? null,
      environmentId: input.environmentId ?? null,
      expiresAt: expiresAt.toISOString(),
    },
  });
  return { id: row.id, token, expiresAt };
}
