import { rowKey } from "../db/feed-keys";
import { ReadModel } from "../db/read-model";
import type { Db, Tx } from "../db/client";

/**
 * Browser sessions that end. The session cookie is a next-auth JWT naming a
 * BrowserSession row (`sid`); a request is signed in only while that row is
 * unrevoked and unexpired and belongs to the token's user. Sign-out revokes
 * the row, a password change and "sign out everywhere" revoke all of a user's
 * rows, so an old cookie stops working at once. The check is served from
 * memory, keyed by session id, until the change feed reports that row changed.
 */
export async function createBrowserSession(db: Db, userId: string, maxAgeSeconds: number): Promise<string> {
  const row = await db.browserSession.create({
    data: { userId, expiresAt: new Date(Date.now() + maxAgeSeconds * 1000) },
    select: { id: true },
  });
  return row.id;
}

interface SessionRow {
  userId: string;
  expiresAt: Date;
  revokedAt: Date | null;
}

const sessionRows = new ReadModel<SessionRow | null>("browserSession", (_row, sid) => [rowKey("BrowserSession", "id", sid)]);

/** Whether the session `sid` is live for `userId` (cached per session id through the change feed). */
export async function browserSessionActive(db: Db, sid: unknown, userId: string): Promise<boolean> {
  if (typeof sid !== "string" || !sid || sid.length > 64) return false;
  const row = await sessionRows.read(db, sid, () =>
    db.browserSession.findUnique({ where: { id: sid }, select: { userId: true, expiresAt: true, revokedAt: true } }),
  );
  return !!row && row.userId === userId && !row.revokedAt && row.expiresAt.getTime() > Date.now();
}

/** Ends one session (sign-out). */
export async function revokeBrowserSession(db: Db | Tx, sid: string): Promise<void> {
  await db.browserSession.updateMany({ where: { id: sid, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** Ends every session of a user (sign out everywhere, password change, disable); returns how many were live. */
export async function revokeUserSessions(db: Db | Tx, userId: string): Promise<number> {
  const { count } = await db.browserSession.updateMany({
    where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
    data: { revokedAt: new Date() },
  });
  return count;
}
