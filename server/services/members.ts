import type { z } from "zod";
import type { ZAddMemberInput, ZMemberInput, ZMemberRoleInput } from "../contracts/tenant";
import { requireTenantRole } from "../auth/caller";
import { hashPassword } from "../auth/password";
import type { Tx } from "../db/client";
import { AppError, notFound } from "../errors";
import { conflictOnUnique, type ServiceCtx, TX_OPTIONS, userActor } from "./actor";
import { recordAudit } from "./audit";

/** Members are managed by the tenant's owners and by administrators. */
export async function addMember(ctx: ServiceCtx, input: z.infer<typeof ZAddMemberInput>) {
  requireTenantRole(ctx.caller, input.tenantId, "owner");
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return ctx.db
    .$transaction(async (tx) => {
      if (!(await tx.tenant.findUnique({ where: { id: input.tenantId }, select: { id: true } }))) throw notFound("Tenant");
      let user = await tx.user.findUnique({ where: { email: input.email }, select: { id: true, email: true, name: true } });
      let created = false;
      if (!user) {
        if (!input.name || !passwordHash) {
          throw new AppError("NOT_FOUND", "email: no user has this email; give a name and an initial password to create one", {
            field: "email",
          });
        }
        user = await tx.user.create({
          data: { email: input.email, name: input.name, passwordHash },
          select: { id: true, email: true, name: true },
        });
        created = true;
      }
      await tx.membership.create({ data: { tenantId: input.tenantId, userId: user.id, role: input.role } });
      await recordAudit(tx, {
        ...userActor(ctx),
        action: "member.add",
        targetType: "membership",
        targetId: user.id,
        tenantId: input.tenantId,
        after: { email: user.email, role: input.role, userCreated: created },
      });
      return { userId: user.id, email: user.email, name: user.name, role: input.role, userCreated: created };
    }, TX_OPTIONS)
    .catch((e) => conflictOnUnique(e, "email", `email: ${input.email} is already a member`));
}

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
