import type { Db } from "../db/client";

/**
 * A digest of every row of every table, for "no row changed" checks. The
 * audit log is left out when asked (rejected agent requests are audited by
 * design), and so is SignInAttempt (the rate limiter's own bookkeeping).
 */
export async function dbFingerprint(db: Db, { withAudit = true } = {}): Promise<Record<string, string>> {
  const tables = await db.$queryRaw<{ name: string }[]>`
    SELECT table_name::text AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('_prisma_migrations', 'SignInAttempt')
    ORDER BY table_name`;
  const digest: Record<string, string> = {};
  for (const { name } of tables) {
    if (!withAudit && name === "AuditEvent") continue;
    const [row] = await db.$queryRawUnsafe<{ digest: string | null }[]>(
      // Use stamps (an API token's lastUsedAt) are bookkeeping, not a change.
      `SELECT md5(coalesce(string_agg((to_jsonb(t) - 'lastUsedAt')::text, '|' ORDER BY t::text), '')) AS digest FROM "${name}" t`,
    );
    digest[name] = row?.digest ?? "";
  }
  return digest;
}
