/**
 * Reason codes: every filter plugin names why a host was rejected.
 * Order matters: a host is counted under the first filter it fails, so
 * counts add up to the number of hosts ("0/40 hosts: ...").
 */
export const REASON_CODES = [
  "host-cordoned",
  "host-draining",
  "host-down",
  "zone-not-allowed",
  "zone-reserved",
  "host-dedicated-to-other-tenant",
  "serves-environment",
  "hosting-cycle",
  "replica-already-on-host",
  "spread-domain-full",
  "dedicated-isolation",
  "never-share",
  "stage-separation",
  "insufficient-slots",
  "insufficient-cpu",
  "insufficient-memory",
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const REASON_LABELS: Record<ReasonCode, string> = {
  "host-cordoned": "cordoned",
  "host-draining": "draining",
  "host-down": "down",
  "zone-not-allowed": "zone not granted",
  "zone-reserved": "zone reserved for other tenants",
  "host-dedicated-to-other-tenant": "dedicated to another tenant",
  "serves-environment": "machine of an environment this server serves",
  "hosting-cycle": "would create a hosting cycle",
  "replica-already-on-host": "already runs a replica of this server",
  "spread-domain-full": "failure domain already holds its share of replicas",
  "dedicated-isolation": "tenant isolation (dedicated server)",
  "never-share": "never-share rule",
  "stage-separation": "production/staging separation",
  "insufficient-slots": "no replica slot left",
  "insufficient-cpu": "insufficient cpu",
  "insufficient-memory": "insufficient memory",
};

/** Numeric ids for the hot path (index into REASON_CODES); 0 means "fits". */
export const FITS = -1;
export const R = Object.fromEntries(REASON_CODES.map((c, i) => [c, i])) as Record<ReasonCode, number>;

/** "0/40 hosts available: 25 zone not granted, 12 insufficient memory, 3 cordoned". */
export function formatDiagnosis(counts: Partial<Record<ReasonCode, number>>, totalHosts: number, feasible = 0): string {
  const parts = REASON_CODES.filter((c) => (counts[c] ?? 0) > 0)
    .sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0) || REASON_CODES.indexOf(a) - REASON_CODES.indexOf(b))
    .map((c) => `${counts[c]} ${REASON_LABELS[c]}`);
  const head = `${feasible}/${totalHosts} hosts available`;
  return parts.length ? `${head}: ${parts.join(", ")}` : totalHosts === 0 ? `${head}: no hosts` : head;
}
