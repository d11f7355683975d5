import type { PlacementRule } from "../placement";
import type { PolicyRule } from "./rules";

/**
 * The rules as placement-engine constraints. Self-hosting is not listed: the
 * engine always enforces it (from each server's environments and the hosts'
 * environment), which is why it is a built-in rule that cannot be turned off.
 */
export function toPlacementRules(rules: readonly PolicyRule[]): PlacementRule[] {
  const out: PlacementRule[] = [];
  for (const r of rules) {
    if (!r.enabled) continue;
    if (r.kind === "stage_separation") out.push({ kind: "stageSeparation" });
    else if (r.kind === "never_share") out.push({ kind: "neverShare", tenants: [...r.params.tenantIds] });
    else if (r.kind === "zone_reserved") out.push({ kind: "zoneReserved", zone: r.params.zoneId, tenants: [...r.params.tenantIds] });
  }
  return out;
}
