import type { z } from "zod";
import type { UserCaller } from "../auth/caller";
import { hashSecret, newSecret } from "../auth/password";
import { requestSessionUser } from "../auth/session-user";
import type { AppSession } from "../auth/types";
import { ReadModel } from "../db/read-model";
import type { Db } from "../db/client";
import { AppError, notFound } from "../errors";
import type { CreateApiTokenInput } from "../contracts/account";
import { recordAudit } from "./audit";

/** Personal API tokens for automation (the CLI): `Authorization: Bearer sht_…`, stored as SHA-256. */
export const API_TOKEN_PREFIX = "sht";

const tokenSelect = { id: true, name: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true } as const;

export async function createApiToken(db: Db, caller: UserCaller, input: z.infer<typeof CreateApiTokenInput>, now = new Date()) {
  const token = newSecret(API_TOKEN_PREFIX);
  const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null;
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: { userId: caller.userId, name: input.name, tokenHash: hashSecret(token), expiresAt },
      select: tokenSelect,
    });
    await recordAudit(tx, {
      actorType: "user",
      actorId: caller.userId,
      actorLabel: caller.email,
      action: "api_token.create",
      targetType: "api_token",
      targetId: created.id,
      after: { name: input.name, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return created;
  });
  // The token itself is returned this once and never again.
  return { ...row, token };
}

export function listApiTokens(db: Db, caller: UserCaller) {
  return db.apiToken.findMany({ where: { userId: caller.userId }, select: tokenSelect, orderBy: { createdAt: "desc" }, take: 100 });
}

export async function revokeApiToken(db: Db, caller: UserCaller, id: string) {
  await db.$transaction(async (tx) => {
    const token = await tx.apiToken.findFirst({ where: { id, userId: caller.userId }, select: { id: true, revokedAt: true } });
    if (!token) throw notFound("API token");
    if (token.revokedAt) throw new AppError("CONFLICT", "This token is already revoked");
    await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      actorType: "user",
      actorId: caller.userId,
      actorLabel: caller.email,
      action: "api_token.revoke",
      targetType: "api_token",
      targetId: id,
    });
  });
}

/** Token rows by hash, cached while ApiToken is unchanged (a revocation drops them). */
const tokenRows = new ReadModel<{
  id: string;
  userId: string;
  revokedAt: Date | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
} | null>("apiTokenByHash");

/** The session an API token stands for, or null for an unknown, revoked or expired token. */
export async function sessionFromApiToken(db: Db, token: string, now = new Date()): Promise<AppSession | null> {
  if (!token.startsWith(`${API_TOKEN_PREFIX}_`)) return null;
  const tokenHash = hashSecret(token);
  const row = await tokenRows.read(db, tokenHash, () =>
    db.apiToken.findUnique({
      where: { tokenHash },
      select: { id: true, userId: true, revokedAt: true, expiresAt: true, lastUsedAt: true },
    }),
  );
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  const user = await requestSessionUser(db, row.userId);
  if (!user) return null;
  // Record use at most once a minute, so a busy script does not write on every call
  // (the cached row remembers it: lastUsedAt alone does not notify the change feed).
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    row.lastUsedAt = now;
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { user, expires: (row.expiresAt ?? new Date(now.getTime() + 3_600_000)).toISOString() };
}
