import type { Tx } from "./client";

/**
 * Every Postgres advisory lock the system takes, in one table, so no two
 * features share a key by accident and no key is copied by hand.
 */
export const ADVISORY_LOCKS = {
  /** One migration runner per database. */
  migrate: 7_270_736_901,
  /** Appends to the audit hash chain stay linear. */
  auditChain: 7_270_736_902,
  /** Integration tests build the migrated template database once. */
  testTemplate: 7_270_736_903,
  /** A reconcile plan is applied alone: drains and removals take it too, so they never interleave with a pass. */
  reconcileApply: 7_270_736_910,
  /** The one leading controller (session lock on a dedicated connection). */
  controllerLeader: 7_270_736_911,
  /** Pending environments are assigned to state servers one pass at a time. */
  assignServers: 7_270_736_920,
} as const;

/** Takes a transaction-scoped advisory lock (released at commit or rollback). */
export async function lockForTransaction(tx: Tx, key: keyof typeof ADVISORY_LOCKS): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADVISORY_LOCKS[key]}::bigint)`;
}

/** Key spaces for advisory locks on strings (the two-int form: `pg_advisory_xact_lock(space, hashtext(key))`, apart from the keys above). */
export const ADVISORY_KEY_SPACES = {
  /** Sign-in limit keys (`email:…`, `ip:…`): checking and reserving an attempt is atomic per key. */
  signInKey: 7_271,
} as const;

/** Takes transaction-scoped advisory locks on strings of one key space, in a fixed order (no deadlock between two callers). */
export async function lockKeysForTransaction(tx: Tx, space: keyof typeof ADVISORY_KEY_SPACES, keys: readonly string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort()) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADVISORY_KEY_SPACES[space]}::int, hashtext(${key}))`;
  }
}
