import { Prisma } from "../../db/generated/client";
import type { Tx } from "../../db/client";
import { environmentFootprint } from "../../core/policy";
import type { Stage } from "../../core/model";
import { firstOverLine, quotaRefusalSentence } from "../../core/policy/quota-refusal";
import { AppError } from "../../errors";

const STAGE_USED: Record<Stage, string> = {
  development: "usedDevelopmentEnvs",
  staging: "usedStagingEnvs",
  production: "usedProductionEnvs",
};

/** Gives an environment's whole footprint back (never below zero). */
export async function releaseEnvironmentQuota(tx: Tx, tenantId: string, stage: Stage, haLevel: number) {
  const f = environmentFootprint(stage, haLevel);
  const used = Prisma.raw(`"${STAGE_USED[stage]}"`);
  await tx.$executeRaw`
    UPDATE "Quota" SET
      ${used} = GREATEST(${used} - 1, 0),
      "usedReplicas" = GREATEST("usedReplicas" - ${f.replicas}, 0),
      "usedCpuMillis" = GREATEST("usedCpuMillis" - ${f.cpuMillis}, 0),
      "usedMemoryMiB" = GREATEST("usedMemoryMiB" - ${f.memoryMiB}, 0),
      "updatedAt" = now()
    WHERE "tenantId" = ${tenantId}`;
}

/**
 * An HA change: reserves (or releases) the difference between two HA levels
 * with one conditional UPDATE, like the creation's reservation.
 */
export async function changeHaQuota(tx: Tx, tenantId: string, stage: Stage, from: number, to: number) {
  const a = environmentFootprint(stage, from);
  const b = environmentFootprint(stage, to);
  const d = { replicas: b.replicas - a.replicas, cpu: b.cpuMillis - a.cpuMillis, mem: b.memoryMiB - a.memoryMiB };
  const updated = await tx.$executeRaw`
    UPDATE "Quota" SET
      "usedReplicas" = GREATEST("usedReplicas" + ${d.replicas}, 0),
      "usedCpuMillis" = GREATEST("usedCpuMillis" + ${d.cpu}, 0),
      "usedMemoryMiB" = GREATEST("usedMemoryMiB" + ${d.mem}, 0),
      "updatedAt" = now()
    WHERE "tenantId" = ${tenantId}
      AND (${d.replicas} <= 0 OR "usedReplicas" + ${d.replicas} <= "maxReplicas")
      AND (${d.cpu} <= 0 OR "usedCpuMillis" + ${d.cpu} <= "maxCpuMillis")
      AND (${d.mem} <= 0 OR "usedMemoryMiB" + ${d.mem} <= "maxMemoryMiB")`;
  if (updated === 1) return;
  const [q, tenant] = await Promise.all([
    tx.quota.findUnique({ where: { tenantId } }),
    tx.tenant.findUnique({ where: { id: tenantId }, select: { name: true } }),
  ]);
  if (!q) throw new AppError("QUOTA_EXCEEDED", "The tenant has no quota; a platform administrator can set one.", { field: "quota" });
  const lines = [
    { what: "replicas", used: q.usedReplicas, adds: d.replicas, max: q.maxReplicas },
    { what: "cpu (millicores)", used: q.usedCpuMillis, adds: d.cpu, max: q.maxCpuMillis },
    { what: "memory (MiB)", used: q.usedMemoryMiB, adds: d.mem, max: q.maxMemoryMiB },
  ];
  throw new AppError("QUOTA_EXCEEDED", quotaRefusalSentence(tenant?.name ?? "", firstOverLine(lines) ?? lines[0]!), { field: "quota" });
}
