import type { z } from "zod";
import type { ZCreateZoneInput, ZGrantInput, ZUpdateZoneInput } from "../contracts/zone";
import { requireAdmin } from "../auth/caller";
import { AppError, notFound } from "../errors";
import { conflictOnUnique, type ServiceCtx, TX_OPTIONS, userActor } from "./actor";
import { recordAudit } from "./audit";

const zoneSelect = { id: true, name: true, purpose: true, isolation: true, description: true } as const;

export async function createZone(ctx: ServiceCtx, input: z.infer<typeof ZCreateZoneInput>) {
  requireAdmin(ctx.caller);
  return ctx.db
    .$transaction(async (tx) => {
      const zone = await tx.securityZone.create({ data: input, select: zoneSelect });
      await recordAudit(tx, { ...userActor(ctx), action: "zone.create", targetType: "zone", targetId: zone.id, after: zone });
      return zone;
    }, TX_OPTIONS)
    .catch((e) => conflictOnUnique(e, "name", `name: a zone named ${input.name} already exists`));
}

export async function updateZone(ctx: ServiceCtx, input: z.infer<typeof ZUpdateZoneInput>) {
  requireAdmin(ctx.caller);
  const { zoneId, ...patch } = input;
  return ctx.db
    .$transaction(async (tx) => {
      const before = await tx.securityZone.findUnique({ where: { id: zoneId }, select: zoneSelect });
      if (!before) throw notFound("Zone");
      const zone = await tx.securityZone.update({ where: { id: zoneId }, data: patch, select: zoneSelect });
      await recordAudit(tx, { ...userActor(ctx), action: "zone.update", targetType: "zone", targetId: zoneId, before, after: zone });
      return zone;
    }, TX_OPTIONS)
    .catch((e) => conflictOnUnique(e, "name", `name: a zone named ${input.name} already exists`));
}

/** A zone with hosts or state servers cannot go; its grants go with it. */
export async function removeZone(ctx: ServiceCtx, zoneId: string) {
  requireAdmin(ctx.caller);
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.securityZone.findUnique({
      where: { id: zoneId },
      select: { ...zoneSelect, _count: { select: { hosts: true, stateServers: true } } },
    });
    if (!before) throw notFound("Zone");
    if (before._count.hosts || before._count.stateServers) {
      throw new AppError(
        "PRECONDITION_FAILED",
        `Zone ${before.name} still has ${before._count.hosts} host(s) and ${before._count.stateServers} state server(s)`,
      );
    }
    const envs = await tx.environment.count({ where: { zoneId } });
    if (envs) throw new AppError("PRECONDITION_FAILED", `Zone ${before.name} is used by ${envs} environment(s)`);
    await tx.securityZone.delete({ where: { id: zoneId } });
    const { _count, ...zone } = before;
    await recordAudit(tx, { ...userActor(ctx), action: "zone.remove", targetType: "zone", targetId: zoneId, before: zone });
    return { id: zoneId };
  }, TX_OPTIONS);
}

export async function grantZone(ctx: ServiceCtx, input: z.infer<typeof ZGrantInput>) {
  requireAdmin(ctx.caller);
  return ctx.db
    .$transaction(async (tx) => {
      const [tenant, zone] = await Promise.all([
        tx.tenant.findUnique({ where: { id: input.tenantId }, select: { name: true } }),
        tx.securityZone.findUnique({ where: { id: input.zoneId }, select: { name: true } }),
      ]);
      if (!tenant) throw notFound("Tenant");
      if (!zone) throw notFound("Zone");
      await tx.zoneGrant.create({ data: input });
      await recordAudit(tx, {
        ...userActor(ctx),
        action: "zone.grant",
        targetType: "zone",
        targetId: input.zoneId,
        tenantId: input.tenantId,
        after: { tenant: tenant.name, zone: zone.name },
      });
      return input;
    }, TX_OPTIONS)
    .catch((e) => conflictOnUnique(e, "zoneId", "zoneId: the zone is already granted to this tenant"));
}

/** Revoking is allowed while environments still use the zone: compliance then lists them. */
export async function revokeZone(ctx: ServiceCtx, input: z.infer<typeof ZGrantInput>) {
  requireAdmin(ctx.caller);
  return ctx.db.$transaction(async (tx) => {
    const grant = await tx.zoneGrant.findUnique({ where: { tenantId_zoneId: input }, select: { zone: { select: { name: true } } } });
    if (!grant) throw notFound("Zone grant");
    await tx.zoneGrant.delete({ where: { tenantId_zoneId: input } });
    const inUse = await tx.environment.count({ where: { tenantId: input.tenantId, zoneId: input.zoneId } });
    await recordAudit(tx, {
      ...userActor(ctx),
      action: "zone.revoke",
      targetType: "zone",
      targetId: input.zoneId,
      tenantId: input.tenantId,
      before: { zone: grant.zone.name },
      after: { environmentsStillInZone: inUse },
    });
    return { ...input, environmentsStillInZone: inUse };
  }, TX_OPTIONS);
}
