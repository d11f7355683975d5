import type { HaLevel, Stage } from "../model";
import type { PolicyRule } from "./rules";

/** The name of the implicit rule behind zone grants (grants are rows, not PolicyRule rows). */
export const ZONE_GRANT_RULE = "zone-grant";

export interface EnvironmentRequest {
  tenantId: string;
  tenantName: string;
  stage: Stage;
  haLevel: number;
  zoneId: string;
  zoneName: string;
  /** Zones granted to the tenant. */
  grantedZoneIds: readonly string[];
}

export interface RuleViolation {
  rule: string;
  kind: PolicyRule["kind"] | "zone_grant";
  message: string;
}

/**
 * Checks a new (or changed) environment against every rule that can be judged
 * from the request alone. Host-level rules (stage separation, tenant pairs,
 * self-hosting) are placement constraints: see toPlacementRules.
 */
export function checkEnvironmentRequest(req: EnvironmentRequest, rules: readonly PolicyRule[]): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (!req.grantedZoneIds.includes(req.zoneId)) {
    out.push({
      rule: ZONE_GRANT_RULE,
      kind: "zone_grant",
      message: `Policy "${ZONE_GRANT_RULE}": zone ${req.zoneName} is not granted to tenant ${req.tenantName}`,
    });
  }
  for (const rule of rules) {
    if (!rule.enabled) continue;
    if (rule.kind === "min_ha" && rule.params.stage === req.stage && req.haLevel < rule.params.minReplicas) {
      out.push({
        rule: rule.name,
        kind: rule.kind,
        message: `Policy "${rule.name}": ${req.stage} environments need at least ${rule.params.minReplicas} replicas (asked for ${req.haLevel})`,
      });
    }
    if (rule.kind === "zone_reserved" && rule.params.zoneId === req.zoneId && !rule.params.tenantIds.includes(req.tenantId)) {
      out.push({
        rule: rule.name,
        kind: rule.kind,
        message: `Policy "${rule.name}": zone ${req.zoneName} is reserved for other tenants`,
      });
    }
  }
  return out;
}

/** The minimum HA level each stage needs under the rules (1 when no rule says more). */
export function minReplicasByStage(rules: readonly PolicyRule[]): Record<Stage, HaLevel> {
  const out: Record<Stage, HaLevel> = { development: 1, staging: 1, production: 1 };
  for (const r of rules)
    if (r.enabled && r.kind === "min_ha" && r.params.minReplicas > out[r.params.stage]) out[r.params.stage] = r.params.minReplicas;
  return out;
}

export const requiresDedicatedProduction = (rules: readonly PolicyRule[]) =>
  rules.some((r) => r.enabled && r.kind === "production_dedicated");

/** Production stays off state servers holding other tenants' development or staging unless an admin relaxed the built-in rule. */
export const isolatesProduction = (rules: readonly PolicyRule[]) => rules.some((r) => r.enabled && r.kind === "production_isolation");
