import type { Interner } from "./interner";
import type { PlacementProblem } from "./types";

export interface CompiledRules {
  /** zone -> tenants allowed (zoneReserved rules add up), or null when open to all. */
  zoneReserved: (Set<number> | null)[];
  /** tenant -> tenants it never shares a host with. */
  neverShare: Int32Array[];
  stageSeparation: boolean;
  /**
   * Per tenant: its own index when a host is dedicated to it or a
   * zoneReserved rule names it, else nTenants. The group filters (zone,
   * reservation, dedication) compare a server's tenant only with such named
   * tenants, so every unnamed tenant gets the same group verdicts: memos of
   * them are keyed by this, not the tenant.
   */
  groupProfile: Int32Array;
}

/** The problem's placement rules on interned zone and tenant indices (interning the ids only rules name). */
export function compileRules(problem: PlacementProblem, zones: Interner, tenants: Interner, hostDedicated: Int32Array): CompiledRules {
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
  const groupProfile = new Int32Array(tenants.ids.length).fill(tenants.ids.length);
  const nHosts = hostDedicated.length;
  for (let h = 0; h < nHosts; h++) if (hostDedicated[h]! >= 0) groupProfile[hostDedicated[h]!] = hostDedicated[h]!;
  for (const set of reserved.values()) for (const t of set) groupProfile[t] = t;
  // Most tenants are in no never-share rule: they share one empty list (read only) instead of a typed array each.
  const noOthers = new Int32Array(0);
  return {
    groupProfile,
    zoneReserved: zones.ids.map((_, z) => reserved.get(z) ?? null),
    neverShare: tenants.ids.map((_, t) => {
      const others = never.get(t);
      return others === undefined ? noOthers : Int32Array.from(others);
    }),
    stageSeparation,
  };
}
