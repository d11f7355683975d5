import { REPLICA_SIZE } from "../core/policy/sizes";

const size = (column: "cpuMillis" | "memoryMiB") =>
  `CASE e.stage ${Object.entries(REPLICA_SIZE)
    .map(([stage, s]) => `WHEN '${stage}' THEN ${s[column]}`)
    .join(" ")} END * e."haLevel"`;

/**
 * Sets every quota's usage counters to what its tenant's environments really
 * take (the counts and footprints creation reserves). Creation and removal keep
 * the counters in step; this is for rows written around them — seeded demo and
 * benchmark fleets — whose tenants would otherwise show 0 of 5 with 4 running.
 * Plain SQL text so a raw pg client (the fleet seeder) can run it as well.
 */
export const RECOUNT_QUOTA_USAGE_SQL = `
  UPDATE "Quota" q SET
    "usedDevelopmentEnvs" = u.development, "usedStagingEnvs" = u.staging, "usedProductionEnvs" = u.production,
    "usedReplicas" = u.replicas, "usedCpuMillis" = u.cpu, "usedMemoryMiB" = u.memory, "updatedAt" = now()
  FROM (
    SELECT t.id AS "tenantId",
      COUNT(e.id) FILTER (WHERE e.stage = 'development')::int AS development,
      COUNT(e.id) FILTER (WHERE e.stage = 'staging')::int AS staging,
      COUNT(e.id) FILTER (WHERE e.stage = 'production')::int AS production,
      COALESCE(SUM(e."haLevel"), 0)::int AS replicas,
      COALESCE(SUM(${size("cpuMillis")}), 0)::int AS cpu,
      COALESCE(SUM(${size("memoryMiB")}), 0)::int AS memory
    FROM "Tenant" t LEFT JOIN "Environment" e ON e."tenantId" = t.id
    GROUP BY t.id
  ) u
  WHERE u."tenantId" = q."tenantId"`;

export async function recountQuotaUsage(db: { $executeRawUnsafe(sql: string): Promise<number> }): Promise<void> {
  await db.$executeRawUnsafe(RECOUNT_QUOTA_USAGE_SQL);
}
