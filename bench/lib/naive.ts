import type { Placement, PlacementProblem } from "../../server/core/placement";
import { spreadCap } from "../../server/core/placement";

/**
 * The baseline: for each replica, in input order, scan every host (sorted by
 * id) and take the first one that passes every hard constraint, with plain
 * objects and Sets, as a straightforward scheduler would. Hosting-graph
 * checks are omitted (the bench fleets have no hosted machines).
 */
export function naivePlace(problem: PlacementProblem): { placements: Placement[]; unplaced: number } {
  const hosts = [...problem.hosts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const state = hosts.map((h) => ({
    h,
    cpu: h.cpuMillis,
    mem: h.memoryMiB,
    slots: h.maxReplicas ?? Infinity,
    tenants: new Map<string, number>(),
    dedicated: false,
    servers: new Set<string>(),
    stages: new Set<string>(),
  }));
  const rules = problem.rules ?? [];
  const placements: Placement[] = [];
  let unplaced = 0;
  for (const s of problem.stateServers) {
    const cap = s.spread === "required" ? spreadCap(problem, s) : Infinity;
    const perDomain = new Map<string, number>();
    for (let ordinal = 0; ordinal < s.replicas; ordinal++) {
      const hit = state.find((x) => {
        const h = x.h;
        if (h.state !== "ready" || !s.zones.includes(h.zone)) return false;
        if (h.dedicatedTenant !== undefined && h.dedicatedTenant !== s.tenant) return false;
        if (
          rules.some((r) => r.kind === "zoneReserved" && r.zone === h.zone) &&
          !rules.some((r) => r.kind === "zoneReserved" && r.zone === h.zone && r.tenants.includes(s.tenant))
        )
          return false;
        if (x.servers.has(s.id) || (perDomain.get(h.failureDomain) ?? 0) >= cap) return false;
        const onlyMine = x.tenants.size === 0 || (x.tenants.size === 1 && x.tenants.has(s.tenant));
        if ((s.isolation === "dedicated" || x.dedicated) && !onlyMine) return false;
        for (const r of rules) {
          if (r.kind === "neverShare" && r.tenants.includes(s.tenant) && r.tenants.some((t) => t !== s.tenant && x.tenants.has(t)))
            return false;
          if (
            r.kind === "stageSeparation" &&
            ((s.stage === "production" && x.stages.has("staging")) || (s.stage === "staging" && x.stages.has("production")))
          )
            return false;
        }
        return x.slots >= 1 && x.cpu >= s.cpuMillis && x.mem >= s.memoryMiB;
      });
      if (!hit) {
        unplaced++;
        continue;
      }
      hit.cpu -= s.cpuMillis;
      hit.mem -= s.memoryMiB;
      hit.slots -= 1;
      hit.tenants.set(s.tenant, (hit.tenants.get(s.tenant) ?? 0) + 1);
      hit.dedicated ||= s.isolation === "dedicated";
      hit.servers.add(s.id);
      if (s.stage) hit.stages.add(s.stage);
      perDomain.set(hit.h.failureDomain, (perDomain.get(hit.h.failureDomain) ?? 0) + 1);
      placements.push({ stateServer: s.id, ordinal, host: hit.h.id });
    }
  }
  return { placements, unplaced };
}
