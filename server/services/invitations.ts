import type { z } from "zod";
import { requireTenantRole } from "../auth/caller";
import type { UserCaller } from "../auth/caller";
import type { ZAddMemberInput, ZInvitationInput } from "../contracts/tenant";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { type ServiceCtx, TX_OPTIONS, userActor } from "./actor";
import { recordAudit } from "./audit";

/**
 * Invitations instead of silent adds. A tenant owner names an email and a role;
 * the person with that email sees the invitation after signing in and accepts
 * or declines it. The owner's answer is the same whether or not the email has
 * an account (or is already a member): nothing about other users is revealed,
 * and nobody is put into a tenant without consent.
 */
const INVITATION_DAYS = 14;

const pending = (now: Date) => ({ acceptedAt: null, revokedAt: null, expiresAt: { gt: now } });

export async function inviteMember(ctx: ServiceCtx, input: z.infer<typeof ZAddMemberInput>) {
  requireTenantRole(ctx.caller, input.tenantId, "owner");
  const now = new Date();
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
  return ctx.db.$transaction(async (tx) => {
    if (!(await tx.tenant.findUnique({ where: { id: input.tenantId }, select: { id: true } }))) throw notFound("Tenant");
    // One pending invitation per tenant and email: inviting again renews it with the new role.
    const open = await tx.invitation.findFirst({
      where: { tenantId: input.tenantId, email: input.email, ...pending(now) },
      select: { id: true },
    });
    const invitation = open
      ? await tx.invitation.update({ where: { id: open.id }, data: { role: input.role, expiresAt, invitedById: ctx.caller.userId } })
      : await tx.invitation.create({
          data: { tenantId: input.tenantId, email: input.email, role: input.role, expiresAt, invitedById: ctx.caller.userId },
        });
    await recordAudit(tx, {
      ...userActor(ctx),
      action: "member.invite",
      targetType: "invitation",
      targetId: invitation.id,
      tenantId: input.tenantId,
      after: { email: input.email, role: input.role, expiresAt: expiresAt.toISOString() },
    });
    return { invitationId: invitation.id, email: input.email, role: input.role, expiresAt, status: "invited" as const };
  }, TX_OPTIONS);
}

/** The tenant's pending invitations (owners). */
export async function listTenantInvitations(ctx: ServiceCtx, tenantId: string) {
  requireTenantRole(ctx.caller, tenantId, "owner");
  return ctx.db.invitation.findMany({
    where: { tenantId, ...pending(new Date()) },
    select: { id: true, email: true, role: true, createdAt: true, expiresAt: true },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
}

export async function revokeInvitation(ctx: ServiceCtx, input: z.infer<typeof ZInvitationInput>) {
  requireTenantRole(ctx.caller, input.tenantId, "owner");
  return ctx.db.$transaction(async (tx) => {
    const { count } = await tx.invitation.updateMany({
      where: { id: input.invitationId, tenantId: input.tenantId, ...pending(new Date()) },
      data: { revokedAt: new Date() },
    });
    if (!count) throw notFound("Invitation");
    await recordAudit(tx, {
      ...userActor(ctx),
      action: "member.invite_revoke",
      targetType: "invitation",
      targetId: input.invitationId,
      tenantId: input.tenantId,
    });
    return { invitationId: input.invitationId };
  });
}

/** Invitations waiting for the signed-in user (by their account's email). */
export function myInvitations(db: Db, caller: UserCaller) {
  return db.invitation.findMany({
    where: { email: caller.email.toLowerCase(), ...pending(new Date()) },
    select: {
      id: true,
      role: true,
      createdAt: true,
      expiresAt: true,
      tenant: { select: { name: true, slug: true } },
      invitedBy: { select: { name: true } },
    },
    orderBy: { createdAt: "desc" },
    take: 100,
  });
}

/**
 * Accepts (or declines) one of the caller's own invitations. Someone else's
 * invitation id is NOT_FOUND, as an unknown one. Accepting when already a
 * member keeps the current role.
 */
export async function answerInvitation(ctx: ServiceCtx, invitationId: string, accept: boolean) {
  const now = new Date();
  return ctx.db.$transaction(async (tx) => {
    const invitation = await tx.invitation.findFirst({
      where: { id: invitationId, email: ctx.caller.email.toLowerCase(), ...pending(now) },
      select: { id: true, tenantId: true, role: true },
    });
    if (!invitation) throw notFound("Invitation");
    await tx.invitation.update({
      where: { id: invitation.id },
      data: accept ? { acceptedAt: now, acceptedById: ctx.caller.userId } : { revokedAt: now },
    });
    if (accept) {
      await tx.membership.upsert({
        where: { tenantId_userId: { tenantId: invitation.tenantId, userId: ctx.caller.userId } },
        create: { tenantId: invitation.tenantId, userId: ctx.caller.userId, role: invitation.role },
        update: {},
      });
    }
    await recordAudit(tx, {
      ...userActor(ctx),
      action: accept ? "member.add" : "member.invite_decline",
      targetType: "membership",
      targetId: ctx.caller.userId,
      tenantId: invitation.tenantId,
      after: { email: ctx.caller.email, role: invitation.role, invitationId: invitation.id },
    });
    return { tenantId: invitation.tenantId, accepted: accept };
  }, TX_OPTIONS);
}
