/** One line of a quota check: what is counted, how much is used, what the request adds, the limit. */
export interface QuotaCheckLine {
  what: string;
  used: number;
  adds: number;
  max: number;
}

/** Who may raise a tenant's quota (updateQuota is admin-only): said in every refusal. */
const WHO_CAN_RAISE = "a platform administrator can raise the quota, or you can remove an environment you no longer need";

/** The first line the request would push past its limit, if any. */
export function firstOverLine<T extends QuotaCheckLine>(lines: readonly T[]): T | undefined {
  return lines.find((l) => l.used + l.adds > l.max);
}

/**
 * The one sentence a person reads when a quota refuses a creation: what is over,
 * by how much, and who can raise it. The preview and the refusal both use it.
 */
export function quotaRefusalSentence(tenantName: string, line: QuotaCheckLine): string {
  const who = tenantName || "This tenant";
  if (line.adds === 1 && line.what.endsWith("environments")) {
    return `${who} already has ${line.used} of its ${line.max} ${line.what}; ${WHO_CAN_RAISE}.`;
  }
  const left = Math.max(line.max - line.used, 0);
  return `This needs ${line.adds} ${line.what} but ${who} has ${left} of its ${line.max} left; ${WHO_CAN_RAISE}.`;
}

export function noQuotaSentence(tenantName: string): string {
  return `${tenantName || "This tenant"} has no quota yet; a platform administrator can set one.`;
}

/** A quota card's sentence when some limits are reached: which ones, and who can raise them. */
export function quotaFullSentence(tenantName: string, full: readonly { what: string; used: number; max: number }[]): string | null {
  if (!full.length) return null;
  const parts = full.map((l) => `${l.what} (${l.used} of ${l.max})`);
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
  const verb = full.some((l) => l.used > l.max) ? "is at or over its limit for" : "has reached its limit for";
  return `${tenantName || "This tenant"} ${verb} ${list}; ${WHO_CAN_RAISE}.`;
}
