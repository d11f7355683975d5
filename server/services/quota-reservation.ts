import type { Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import { environmentFootprint } from "../core/policy";
import { firstOverLine, noQuotaSentence, quotaRefusalSentence } from "../core/policy/quota-refusal";
import type { Stage } from "../core/model";
import { AppError } from "../errors";

const STAGE_COLUMNS: Record<Stage, { used: string; max: string; label: string }> = {
  development: { used: "usedDevelopmentEnvs", max: "maxDevelopmentEnvs", label: "development environments" },
  staging: { used: "usedStagingEnvs", max: "maxStagingEnvs", label: "staging environments" },
  production: { used: "usedProductionEnvs", max: "maxProductionEnvs", label: "production environments" },
};

/**
 * Reserves an environment's share of the tenant's quota with ONE conditional
 * UPDATE: Postgres re-checks the WHERE clause after taking the row lock, so
 * racing requests can never push a counter past its limit. Zero rows updated
 * means some limit would be exceeded; the re-read only builds the message.
 */
export async function reserveEnvironmentQuota(tx: Tx, tenantId: string, stage: Stage, haLevel: number): Promise<void> {
  const col = STAGE_COLUMNS[stage];
  const f = environmentFootprint(stage, haLevel);
  const used = Prisma.raw(`"${col.used}"`);
  const max = Prisma.raw(`"${col.max}"`);
  const updated = await tx.$executeRaw`
    UPDATE "Quota" SET
      ${used} = ${used} + 1,
      "usedReplicas" = "usedReplicas" + ${f.replicas},
      "usedCpuMillis" = "usedCpuMillis" + ${f.cpuMillis},
      "usedMemoryMiB" = "usedMemoryMiB" + ${f.memoryMiB},
      "updatedAt" = now()
    WHERE "tenantId" = ${tenantId}
      AND ${used} < ${max}
      AND "usedReplicas" + ${f.replicas} <= "maxReplicas"
      AND "usedCpuMillis" + ${f.cpuMillis} <= "maxCpuMillis"
      AND "usedMemoryMiB" + ${f.memoryMiB} <= "maxMemoryMiB"`;
  if (updated === 1) return;
  const [q, tenant] = await Promise.all([
    tx.quota.findUnique({ where: { tenantId } }),
    tx.tenant.findUnique({ where: { id: tenantId }, select: { name: true } }),
  ]);
  const tenantName = tenant?.name ?? "";
  if (!q) throw new AppError("QUOTA_EXCEEDED", noQuotaSentence(tenantName), { field: "quota" });
  const row = q as unknown as Record<string, number>;
  const lines = [
    { what: col.label, used: row[col.used]!, adds: 1, max: row[col.max]! },
    { what: "replicas", used: q.usedReplicas, adds: f.replicas, max: q.maxReplicas },
    { what: "cpu (millicores)", used: q.usedCpuMillis, adds: f.cpuMillis, max: q.maxCpuMillis },
    { what: "memory (MiB)", used: q.usedMemoryMiB, adds: f.memoryMiB, max: q.maxMemoryMiB },
  ];
  throw new AppError("QUOTA_EXCEEDED", quotaRefusalSentence(tenantName, firstOverLine(lines) ?? lines[0]!), { field: "quota" });
}
