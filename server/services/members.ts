import type { z } from "zod";
import type { ZMemberInput, ZMemberRoleInput } from "../contracts/tenant";
import { requireTenantRole } from "../auth/caller";
import type { Tx } from "../db/client";
import { AppError, notFound } from "../errors";
import { type ServiceCtx, TX_OPTIONS, userActor } from "./actor";
import { recordAudit } from "./audit";

/** Members are managed by the tenant's owners and by administrators; new members come through invitations (invitations.ts). */

/** Locks the tenant's owner rows so two concurrent removals cannot both pass the last-owner check. */
async function lockOwners(tx: Tx, tenantId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ userId: string }[]>`
    SELECT "userId" FROM "Membership" WHERE "tenantId" = ${tenantId} AND role = 'owner' FOR UPDATE`;
  return rows.map((r) => r.userId);
}

async function loadMember(tx: Tx, tenantId: string, userId: string) {
  const m = await tx.membership.findUnique({
    where: { tenantId_userId: { tenantId, userId } },
    select: { role: true, user: { select: { email: true } } },
  });
  if (!m) throw notFound("Member");
  return m;
}

export async function setMemberRole(ctx: ServiceCtx, input: z.infer<typeof ZMemberRoleInput>) {
  requireTenantRole(ctx.caller, input.tenantId, "owner");
  return ctx.db.$transaction(async (tx) => {
    const owners = await lockOwners(tx, input.tenantId);
    const m = await loadMember(tx, input.tenantId, input.userId);
    if (m.role === "owner" && input.role !== "owner" && owners.length <= 1) {
      throw new AppError("PRECONDITION_FAILED", "A tenant keeps at least one owner: make someone else owner first", { field: "role" });
    }
    await tx.membership.update({
      where: { tenantId_userId: { tenantId: input.tenantId, userId: input.userId } },
      data: { role: input.role },
    });
    await recordAudit(tx, {
      ...userActor(ctx),
      action: "member.set_role",
      targetType: "membership",
      targetId: input.userId,
      tenantId: input.tenantId,
      before: { email: m.user.email, role: m.role },
      after: { role: input.role },
    });
    return { userId: input.userId, role: input.role };
  }, TX_OPTIONS);
}

export async function removeMember(ctx: ServiceCtx, input: z.infer<typeof ZMemberInput>) {
  requireTenantRole(ctx.caller, input.tenantId, "owner");
  return ctx.db.$transaction(async (tx) => {
    const owners = await lockOwners(tx, input.tenantId);
    const m = await loadMember(tx, input.tenantId, input.userId);
    if (m.role === "owner" && owners.length <= 1) {
      throw new AppError("PRECONDITION_FAILED", "The last owner of a tenant cannot be removed");
    }
    await tx.membership.delete({ where: { tenantId_userId: { tenantId: input.tenantId, userId: input.userId } } });
    await recordAudit(tx, {
      ...userActor(ctx),
      action: "member.remove",
      targetType: "membership",
      targetId: input.userId,
      tenantId: input.tenantId,
      before: { email: m.user.email, role: m.role },
    });
    return { userId: input.userId };
  }, TX_OPTIONS);
}
