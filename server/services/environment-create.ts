import type { CreateEnvironmentInput } from "../contracts/environment";
import { requireTenantRole } from "../auth/caller";
import { newSecret } from "../auth/password";
import { seal } from "../etcd/secret-box";
import { checkEnvironmentRequest } from "../core/policy";
import { AppError, notFound } from "../errors";
import { conflictOnUnique, type ServiceCtx, TX_OPTIONS, userActor } from "./actor";
import { recordAudit } from "./audit";
import { loadActiveRules } from "./policies";
import { reserveEnvironmentQuota } from "./quota-reservation";
import type { HaLevel } from "../core/model";

/**
 * The enforcement point for new environments, all in one transaction: tenant
 * active, zone granted, policy rules, atomic quota reservation, insert, audit.
 * The controller picks the pending environment up and places it.
 */
export async function createEnvironment(ctx: ServiceCtx, input: CreateEnvironmentInput) {
  requireTenantRole(ctx.caller, input.tenantId, "member");
  const credential = newSecret("env");
  try {
    const env = await ctx.db.$transaction(async (tx) => {
      // FOR SHARE: a concurrent suspension waits for this creation (and vice versa).
      const [tenant] = await tx.$queryRaw<{ id: string; name: string; status: string }[]>`
        SELECT id, name, status::text AS status FROM "Tenant" WHERE id = ${input.tenantId} FOR SHARE`;
      if (!tenant) throw notFound("Tenant");
      if (tenant.status !== "active") {
        throw new AppError("PRECONDITION_FAILED", `Tenant ${tenant.name} is suspended: no new environments can be created`);
      }
      const zone = await tx.securityZone.findUnique({ where: { id: input.zoneId }, select: { id: true, name: true } });
      if (!zone) throw new AppError("NOT_FOUND", "zoneId: security zone not found", { field: "zoneId" });
      const grants = await tx.zoneGrant.findMany({ where: { tenantId: tenant.id }, select: { zoneId: true } });
      const violations = checkEnvironmentRequest(
        { ...input, tenantName: tenant.name, zoneName: zone.name, grantedZoneIds: grants.map((g) => g.zoneId) },
        await loadActiveRules(tx),
      );
      if (violations.length) {
        throw new AppError("POLICY_VIOLATION", violations.map((v) => v.message).join("; "), { field: violations[0]!.rule });
      }
      await reserveEnvironmentQuota(tx, tenant.id, input.stage, input.haLevel);
      const created = await tx.environment.create({
        data: {
          tenantId: tenant.id,
          name: input.name,
          stage: input.stage,
          haLevel: input.haLevel,
          zoneId: zone.id,
          status: "pending",
          credentialSealed: seal(credential),
          createdById: ctx.caller.userId,
        },
        select: { id: true, name: true, stage: true, haLevel: true, status: true, tenantId: true, zoneId: true, createdAt: true },
      });
      await recordAudit(tx, {
        ...userActor(ctx),
        action: "environment.create",
        targetType: "environment",
        targetId: created.id,
        tenantId: tenant.id,
        after: { name: created.name, stage: created.stage, haLevel: created.haLevel, zone: zone.name },
      });
      return created;
    }, TX_OPTIONS);
    return { ...env, haLevel: env.haLevel as HaLevel, credential };
  } catch (error) {
    return conflictOnUnique(error, "name", `name: an environment named ${input.name} already exists in this tenant`);
  }
}
