import type { Interner } from "./interner";
import type { PlacementProblem } from "./types";

export interface CompiledRules {
  /** zone -> tenants allowed (zoneReserved rules add up), or null when open to all. */
  zoneReserved: (Set<number> | null)[];
  /** tenant -> tenants it never shares a host with. */
  neverShare: Int32Array[];
  stageSeparation: boolean;
}

/** The problem's placement rules on interned zone and tenant indices (interning the ids only rules name). */
export function compileRules(problem: PlacementProblem, zones: Interner, tenants: Interner): CompiledRules {
  const reserved = new Map<number, Set<number>>();
  const never = new Map<number, number[]>();
  let stageSeparation = false;
  for (const rule of problem.rules ?? []) {
    if (rule.kind === "stageSeparation") stageSeparation = true;
    else if (rule.kind === "zoneReserved") {
      const z = zones.get(rule.zone);
      const set = reserved.get(z) ?? new Set<number>();
      rule.tenants.forEach((t) => set.add(tenants.get(t)));
      reserved.set(z, set);
    } else {
      const [a, b] = rule.tenants.map((t) => tenants.get(t)) as [number, number];
      never.set(a, [...(never.get(a) ?? []), b]);
      never.set(b, [...(never.get(b) ?? []), a]);
    }
  }
  return {
    zoneReserved: zones.ids.map((_, z) => reserved.get(z) ?? null),
    neverShare: tenants.ids.map((_, t) => Int32Array.from(never.get(t) ?? [])),
    stageSeparation,
  };
}
