import { tenantsWithRole } from "../../auth/caller";
import { minReplicasByStage, requiresDedicatedProduction } from "../../core/policy";
import { type ServiceCtx } from "../actor";
import { loadActiveRules } from "../policies";

/**
 * What the create form (and the CLI) may offer: the caller's tenants where it
 * can create, each with its granted zones and quota, and the policy limits on
 * HA per stage.
 */
export async function createOptions(ctx: ServiceCtx) {
  const tenantIds = tenantsWithRole(ctx.caller, "member");
  const [tenants, rules] = await Promise.all([
    ctx.db.tenant.findMany({
      where: { id: { in: tenantIds } },
      select: {
        id: true,
        name: true,
        slug: true,
        status: true,
        zoneGrants: { select: { zone: { select: { id: true, name: true } } } },
        quota: true,
      },
      orderBy: { name: "asc" },
    }),
    loadActiveRules(ctx.db),
  ]);
  return {
    tenants: tenants.map((t) => ({
      id: t.id,
      name: t.name,
      slug: t.slug,
      status: t.status,
      role: ctx.caller.tenantRoles.get(t.id)!,
      zones: t.zoneGrants.map((g) => g.zone).sort((a, b) => a.name.localeCompare(b.name)),
      quota: t.quota
        ? {
            development: { used: t.quota.usedDevelopmentEnvs, max: t.quota.maxDevelopmentEnvs },
            staging: { used: t.quota.usedStagingEnvs, max: t.quota.maxStagingEnvs },
            production: { used: t.quota.usedProductionEnvs, max: t.quota.maxProductionEnvs },
            replicas: { used: t.quota.usedReplicas, max: t.quota.maxReplicas },
            cpuMillis: { used: t.quota.usedCpuMillis, max: t.quota.maxCpuMillis },
            memoryMiB: { used: t.quota.usedMemoryMiB, max: t.quota.maxMemoryMiB },
          }
        : null,
    })),
    minHa: minReplicasByStage(rules),
    dedicatedProduction: requiresDedicatedProduction(rules),
  };
}
