import type { Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import { environmentFootprint } from "../core/policy";
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
  const q = await tx.quota.findUnique({ where: { tenantId } });
  if (!q) throw new AppError("QUOTA_EXCEEDED", "quota exceeded: the tenant has no quota", { field: "quota" });
  const row = q as unknown as Record<string, number>;
  const checks: [boolean, string, string][] = [
    [row[col.used]! >= row[col.max]!, col.label, `${row[col.used]}/${row[col.max]}`],
    [q.usedReplicas + f.replicas > q.maxReplicas, "replicas", `${q.usedReplicas}+${f.replicas}/${q.maxReplicas}`],
    [q.usedCpuMillis + f.cpuMillis > q.maxCpuMillis, "cpu (millicores)", `${q.usedCpuMillis}+${f.cpuMillis}/${q.maxCpuMillis}`],
    [q.usedMemoryMiB + f.memoryMiB > q.maxMemoryMiB, "memory (MiB)", `${q.usedMemoryMiB}+${f.memoryMiB}/${q.maxMemoryMiB}`],
  ];
  const hit = checks.find(([over]) => over) ?? checks[0]!;
  throw new AppError("QUOTA_EXCEEDED", `quota exceeded: ${hit[1]} ${hit[2]}`, { field: "quota" });
}
