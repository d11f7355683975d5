import type { Db } from "../db/client";
import { lockKeysForTransaction } from "../db/locks";

/** 10 failed attempts a minute per key; the 11th is refused even with the right password. */
const SIGN_IN_LIMIT = { attempts: 10, windowMs: 60_000 } as const;

/**
 * The sign-in limit, shared by every app process (the web server runs one
 * worker per core; a limit in memory would multiply by their number). Each
 * attempt is a row per key (`email:…`, `ip:…`) in "SignInAttempt": reserved
 * before the password is checked, so concurrent attempts count too; deleted
 * again when the password was right; kept for the window when it was wrong.
 * `now` is a parameter (milliseconds) so tests control the clock.
 */
export const signInLimiter = {
  /** Reserves an attempt under every key, or answers null when a key already has its limit of attempts in the window. */
  async begin(db: Db, keys: readonly string[], now: number): Promise<bigint[] | null> {
    return db.$transaction(async (tx) => {
      await lockKeysForTransaction(tx, "signInKey", keys);
      await tx.$executeRaw`DELETE FROM "SignInAttempt" WHERE "atMs" <= ${now - SIGN_IN_LIMIT.windowMs}`;
      const full = await tx.$queryRaw<{ key: string }[]>`
        SELECT key FROM "SignInAttempt" WHERE key = ANY(${[...keys]}::text[]) AND "atMs" > ${now - SIGN_IN_LIMIT.windowMs}
        GROUP BY key HAVING count(*) >= ${SIGN_IN_LIMIT.attempts}`;
      if (full.length) return null;
      const rows = await tx.$queryRaw<{ id: bigint }[]>`
        INSERT INTO "SignInAttempt" (key, "atMs") SELECT k, ${now} FROM unnest(${[...keys]}::text[]) AS k RETURNING id`;
      return rows.map((r) => r.id);
    });
  },

  /** The password was right: the reserved attempt does not count, and the email's earlier failures are forgiven. */
  async succeeded(db: Db, attempt: bigint[], emailKey: string): Promise<void> {
    await db.$executeRaw`DELETE FROM "SignInAttempt" WHERE id = ANY(${attempt}::bigint[]) OR key = ${emailKey}`;
  },
};
