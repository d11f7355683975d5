import type { z } from "zod";
import type { ZCreateTenantInput, ZRenameTenantInput, ZTenantStatusInput } from "../contracts/tenant";
import { requireAdmin, requireTenantRole } from "../auth/caller";
import { AppError, notFound } from "../errors";
import { conflictOnUnique, type ServiceCtx, TX_OPTIONS, userActor } from "./actor";
import { recordAudit } from "./audit";
import { quotaView } from "./quotas";

/** One tenant with its members, quota (with usage) and zone grants. */
export async function getTenant(ctx: ServiceCtx, tenantId: string) {
  requireTenantRole(ctx.caller, tenantId, "viewer");
  const t = await ctx.db.tenant.findUnique({
    where: { id: tenantId },
    select: {
      id: true,
      slug: true,
      name: true,
      status: true,
      createdAt: true,
      quota: true,
      memberships: { select: { role: true, user: { select: { id: true, email: true, name: true } } }, orderBy: { createdAt: "asc" } },
      zoneGrants: { select: { createdAt: true, zone: { select: { id: true, name: true, purpose: true, isolation: true } } } },
      _count: { select: { environments: true } },
    },
  });
  if (!t) throw notFound("Tenant");
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    status: t.status,
    createdAt: t.createdAt,
    environmentCount: t._count.environments,
    quota: t.quota ? quotaView(t.quota) : null,
    members: t.memberships.map((m) => ({ userId: m.user.id, email: m.user.email, name: m.user.name, role: m.role })),
    grants: t.zoneGrants
      .map((g) => ({ ...g.zone, zoneId: g.zone.id, grantedAt: g.createdAt }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export async function createTenant(ctx: ServiceCtx, input: z.infer<typeof ZCreateTenantInput>) {
  requireAdmin(ctx.caller);
  return ctx.db
    .$transaction(async (tx) => {
      const zones = await tx.securityZone.findMany({ where: { id: { in: input.zoneIds } }, select: { id: true, name: true } });
      if (zones.length !== new Set(input.zoneIds).size) throw new AppError("VALIDATION", "zoneIds: unknown zone", { field: "zoneIds" });
      const tenant = await tx.tenant.create({
        data: {
          slug: input.slug,
          name: input.name,
          quota: { create: { ...input.quota } },
          zoneGrants: { create: zones.map((z) => ({ zoneId: z.id })) },
        },
        select: { id: true, slug: true, name: true, status: true, quota: true },
      });
      await recordAudit(tx, {
        ...userActor(ctx),
        action: "tenant.create",
        targetType: "tenant",
        targetId: tenant.id,
        tenantId: tenant.id,
        after: { slug: tenant.slug, name: tenant.name, quota: input.quota ?? {}, zones: zones.map((z) => z.name) },
      });
      return { id: tenant.id, slug: tenant.slug, name: tenant.name, status: tenant.status };
    }, TX_OPTIONS)
    .catch((e) => conflictOnUnique(e, "slug", `slug: a tenant with slug ${input.slug} already exists`));
}

export async function renameTenant(ctx: ServiceCtx, input: z.infer<typeof ZRenameTenantInput>) {
  requireAdmin(ctx.caller);
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.tenant.findUnique({ where: { id: input.tenantId }, select: { name: true } });
    if (!before) throw notFound("Tenant");
    const t = await tx.tenant.update({ where: { id: input.tenantId }, data: { name: input.name }, select: { id: true, name: true } });
    await recordAudit(tx, {
      ...userActor(ctx),
      action: "tenant.rename",
      targetType: "tenant",
      targetId: t.id,
      tenantId: t.id,
      before,
      after: { name: t.name },
    });
    return t;
  }, TX_OPTIONS);
}

/** Suspended tenants keep their environments running; nothing new is created (see environment-create). */
export async function setTenantStatus(ctx: ServiceCtx, input: z.infer<typeof ZTenantStatusInput>) {
  requireAdmin(ctx.caller);
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.tenant.findUnique({ where: { id: input.tenantId }, select: { status: true } });
    if (!before) throw notFound("Tenant");
    const t = await tx.tenant.update({ where: { id: input.tenantId }, data: { status: input.status }, select: { id: true, status: true } });
    await recordAudit(tx, {
      ...userActor(ctx),
      action: input.status === "suspended" ? "tenant.suspend" : "tenant.resume",
      targetType: "tenant",
      targetId: t.id,
      tenantId: t.id,
      before,
      after: { status: t.status },
      reason: input.reason,
    });
    return t;
  }, TX_OPTIONS);
}

export async function removeTenant(ctx: ServiceCtx, tenantId: string) {
  requireAdmin(ctx.caller);
  return ctx.db.$transaction(async (tx) => {
    // Lock the row so an environment cannot be created between the count and the delete.
    const [t] = await tx.$queryRaw<{ slug: string; name: string }[]>`SELECT slug, name FROM "Tenant" WHERE id = ${tenantId} FOR UPDATE`;
    if (!t) throw notFound("Tenant");
    const envs = await tx.environment.count({ where: { tenantId } });
    if (envs > 0) throw new AppError("PRECONDITION_FAILED", `Tenant ${t.name} still has ${envs} environment(s): remove them first`);
    await tx.stateServer.updateMany({ where: { tenantId }, data: { tenantId: null } });
    await tx.host.updateMany({ where: { dedicatedTenantId: tenantId }, data: { dedicatedTenantId: null } });
    await tx.tenant.delete({ where: { id: tenantId } });
    await recordAudit(tx, { ...userActor(ctx), action: "tenant.remove", targetType: "tenant", targetId: tenantId, tenantId, before: t });
    return { id: tenantId };
  }, TX_OPTIONS);
}
