import type { z } from "zod";
import type { ZUpdateQuotaInput } from "../contracts/tenant";
import { requireAdmin, requireTenantRole } from "../auth/caller";
import type { Quota } from "../db/generated/client";
import { notFound } from "../errors";
import { type ServiceCtx, TX_OPTIONS, userActor } from "./actor";
import { recordAudit } from "./audit";

const LINES = [
  ["developmentEnvs", "Development environments", "maxDevelopmentEnvs", "usedDevelopmentEnvs"],
  ["stagingEnvs", "Staging environments", "maxStagingEnvs", "usedStagingEnvs"],
  ["productionEnvs", "Production environments", "maxProductionEnvs", "usedProductionEnvs"],
  ["replicas", "Replicas", "maxReplicas", "usedReplicas"],
  ["cpuMillis", "CPU (millicores)", "maxCpuMillis", "usedCpuMillis"],
  ["memoryMiB", "Memory (MiB)", "maxMemoryMiB", "usedMemoryMiB"],
] as const;

/** Limits with usage; a limit lowered below usage is flagged (it blocks only new creations). */
export function quotaView(q: Quota) {
  const lines = LINES.map(([key, label, max, used]) => ({ key, label, max: q[max], used: q[used], over: q[used] > q[max] }));
  return { tenantId: q.tenantId, lines, overLimit: lines.some((l) => l.over), updatedAt: q.updatedAt };
}

export async function getQuota(ctx: ServiceCtx, tenantId: string) {
  requireTenantRole(ctx.caller, tenantId, "viewer");
  const q = await ctx.db.quota.findUnique({ where: { tenantId } });
  if (!q) throw notFound("Quota");
  return quotaView(q);
}

export async function updateQuota(ctx: ServiceCtx, input: z.infer<typeof ZUpdateQuotaInput>) {
  requireAdmin(ctx.caller);
  const { tenantId, ...limits } = input;
  return ctx.db.$transaction(async (tx) => {
    if (!(await tx.tenant.findUnique({ where: { id: tenantId }, select: { id: true } }))) throw notFound("Tenant");
    const before = await tx.quota.findUnique({ where: { tenantId } });
    const q = await tx.quota.upsert({ where: { tenantId }, create: { tenantId, ...limits }, update: limits });
    const view = quotaView(q);
    await recordAudit(tx, {
      ...userActor(ctx),
      action: "quota.update",
      targetType: "quota",
      targetId: tenantId,
      tenantId,
      before: before ? Object.fromEntries(LINES.map(([, , max]) => [max, before[max]])) : null,
      after: { ...limits, belowUsage: view.lines.filter((l) => l.over).map((l) => l.key) },
    });
    return view;
  }, TX_OPTIONS);
}
