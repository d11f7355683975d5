import { z } from "zod";
import { HA_LEVELS, STAGES } from "../model";

export const POLICY_KINDS = [
  "min_ha",
  "production_dedicated",
  "stage_separation",
  "never_share",
  "zone_reserved",
  "no_self_hosting",
  "production_isolation",
] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

const id = z.string().min(1).max(64);
const haLevel = z.union(HA_LEVELS.map((n) => z.literal(n)) as [z.ZodLiteral<1>, z.ZodLiteral<3>, z.ZodLiteral<5>]);

/** The fields each kind of rule carries in PolicyRule.params. */
export const POLICY_PARAMS = {
  min_ha: z.object({ stage: z.enum(STAGES), minReplicas: haLevel }).strict(),
  production_dedicated: z.object({}).strict(),
  stage_separation: z.object({}).strict(),
  never_share: z
    .object({ tenantIds: z.tuple([id, id]) })
    .strict()
    .refine((p) => p.tenantIds[0] !== p.tenantIds[1], { message: "pick two different tenants", path: ["tenantIds"] }),
  zone_reserved: z.object({ zoneId: id, tenantIds: z.array(id).min(1).max(100) }).strict(),
  no_self_hosting: z.object({}).strict(),
  production_isolation: z.object({}).strict(),
} satisfies Record<PolicyKind, z.ZodType>;

export type PolicyParams = { [K in PolicyKind]: z.infer<(typeof POLICY_PARAMS)[K]> };

/** A rule as the core sees it: typed params, already validated. */
export type PolicyRule = {
  [K in PolicyKind]: { id: string; name: string; kind: K; enabled: boolean; builtIn: boolean; params: PolicyParams[K] };
}[PolicyKind];

export const POLICY_KIND_LABELS: Record<PolicyKind, string> = {
  min_ha: "Minimum HA replicas per stage",
  production_dedicated: "Production requires a dedicated state server",
  stage_separation: "Production never shares a host with other stages",
  never_share: "Two tenants never share a host",
  zone_reserved: "Zone reserved for a list of tenants",
  no_self_hosting: "Never host a state server on machines it serves",
  production_isolation: "Production never shares a state server with another tenant's development or staging",
};

/** Built-in rules an admin may switch off (relax); every other built-in rule is always on. */
export const RELAXABLE_BUILT_IN_KINDS: readonly PolicyKind[] = ["production_isolation"];

/** Built-in rules exist once per installation; they are never created through the rule form. */
export const BUILT_IN_ONLY_KINDS = ["no_self_hosting", "production_isolation"] as const;

export type ParsedRule = { ok: true; rule: PolicyRule } | { ok: false; message: string; field?: string };

/** Validates a stored or submitted rule's params against its kind. */
export function parseRule(row: {
  id: string;
  name: string;
  kind: string;
  enabled: boolean;
  builtIn: boolean;
  params: unknown;
}): ParsedRule {
  if (!(POLICY_KINDS as readonly string[]).includes(row.kind))
    return { ok: false, message: `unknown rule kind ${row.kind}`, field: "kind" };
  const kind = row.kind as PolicyKind;
  const parsed = POLICY_PARAMS[kind].safeParse(row.params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = ["params", ...issue.path.map(String)].join(".");
    return { ok: false, message: `${field}: ${issue.message}`, field };
  }
  return { ok: true, rule: { ...row, kind, params: parsed.data } as PolicyRule };
}

/** Rules that can be parsed and are on; malformed stored rows are skipped (and reported by the caller). */
export function activeRules(rows: Parameters<typeof parseRule>[0][]): PolicyRule[] {
  return rows.flatMap((row) => {
    const parsed = parseRule(row);
    return parsed.ok && (parsed.rule.enabled || parsed.rule.kind === "no_self_hosting") ? [parsed.rule] : [];
  });
}
