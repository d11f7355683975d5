import { revokeUserSessions } from "../auth/browser-sessions";
import type { UserCaller } from "../auth/caller";
import { hashPassword, verifyPassword } from "../auth/password";
import type { ChangePasswordInput } from "../contracts/account";
import type { Db } from "../db/client";
import { AppError, notFound } from "../errors";
import { recordAudit } from "./audit";

/** "Sign out everywhere": every browser session of the caller ends now (this one too). API tokens are separate. */
export async function signOutEverywhere(db: Db, caller: UserCaller) {
  return db.$transaction(async (tx) => {
    const ended = await revokeUserSessions(tx, caller.userId);
    await recordAudit(tx, {
      actorType: "user",
      actorId: caller.userId,
      actorLabel: caller.email,
      action: "session.revoke_all",
      targetType: "user",
      targetId: caller.userId,
      after: { ended },
    });
    return { ended };
  });
}

/** A new password, given the current one; every browser session ends with it (the caller signs in again). */
export async function changePassword(db: Db, caller: UserCaller, input: ChangePasswordInput) {
  const user = await db.user.findUnique({ where: { id: caller.userId }, select: { passwordHash: true } });
  if (!user) throw notFound("User");
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError("VALIDATION", "currentPassword: that is not your current password", { field: "currentPassword" });
  }
  const passwordHash = await hashPassword(input.newPassword);
  return db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: caller.userId }, data: { passwordHash } });
    const ended = await revokeUserSessions(tx, caller.userId);
    await recordAudit(tx, {
      actorType: "user",
      actorId: caller.userId,
      actorLabel: caller.email,
      action: "user.change_password",
      targetType: "user",
      targetId: caller.userId,
      after: { sessionsEnded: ended },
    });
    return { sessionsEnded: ended };
  });
}

/** An administrator disables (or re-enables) a user: a disabled user's sessions end at once and it cannot sign in. */
export async function setUserDisabled(db: Db, caller: UserCaller, userId: string, disabled: boolean) {
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, select: { disabledAt: true, email: true } });
    if (!before) throw notFound("User");
    if (userId === caller.userId) throw new AppError("VALIDATION", "userId: you cannot disable yourself", { field: "userId" });
    await tx.user.update({ where: { id: userId }, data: { disabledAt: disabled ? (before.disabledAt ?? new Date()) : null } });
    const ended = disabled ? await revokeUserSessions(tx, userId) : 0;
    await recordAudit(tx, {
      actorType: "user",
      actorId: caller.userId,
      actorLabel: caller.email,
      action: disabled ? "user.disable" : "user.enable",
      targetType: "user",
      targetId: userId,
      before: { disabled: !!before.disabledAt },
      after: { disabled, sessionsEnded: ended },
    });
    return { disabled, sessionsEnded: ended };
  });
}
