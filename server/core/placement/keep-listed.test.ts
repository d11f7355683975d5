import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PlacementEngine } from "./engine";
import { keepListed } from "./keep-listed";
import { placeReplicas } from "./place";
import { problemArb } from "./problem-arbitrary";
import { host, problem, server } from "./testing";
import type { PlacementProblem } from "./types";

const RUNS = Number(process.env.FC_RUNS ?? 150);

/** Everything keeping decides: where each replica is, where it was, and the per-host counters the filters read. */
function kept(engine: PlacementEngine) {
  const st = engine.st;
  return {
    replicaHost: [...st.replicaHost],
    previousHost: [...engine.previousHost],
    free: [...st.freeCpu, ...st.freeMem, ...st.freeSlots],
    counts: [...st.hostReplicas, ...st.tenantDistinct, ...st.tenantSum, ...st.dedicatedCount, ...st.productionCount, ...st.stagingCount],
    tenantsOnHosts: Array.from({ length: st.nHosts }, (_, h) => st.tenants.ids.map((_, t) => st.hostTenants.has(h, t))),
  };
}

/** Keeps p's listing at once (when it can) and one by one, on two engines; both must decide the same. */
function expectSameKeeping(p: PlacementProblem): string {
  const atOnce = new PlacementEngine({ ...p, existing: [] });
  const how = keepListed(atOnce, p.existing, true);
  const oneByOne = new PlacementEngine({ ...p, existing: [] });
  keepListed(oneByOne, p.existing, false);
  expect(kept(atOnce)).toEqual(kept(oneByOne));
  return how;
}

/**
 * The listing of an earlier placement with one host's state changed: what a
 * host loss or drain hands the engine. Half the problems have no hosted
 * machines (keeping at once is for those).
 */
const relistedArb = fc
  .tuple(problemArb, fc.nat(), fc.constantFrom("down", "draining", "cordoned", "ready") as fc.Arbitrary<"down">, fc.boolean())
  .map(([generated, i, state, plain]) => {
    const p = plain ? { ...generated, hosts: generated.hosts.map(({ environment: _, ...h }) => h) } : generated;
    const victim = p.hosts[i % p.hosts.length]!.id;
    const existing = placeReplicas(p).placements;
    return { ...p, existing, hosts: p.hosts.map((h) => (h.id === victim ? { ...h, state } : h)) };
  });

describe("keeping listed replicas at once", () => {
  it("keeps exactly what asking one by one keeps, on random listings (mostly refused: taken back)", () => {
    const ways = new Set<string>();
    fc.assert(
      fc.property(problemArb, (p) => void ways.add(expectSameKeeping(p))),
      { numRuns: RUNS },
    );
    expect(ways.has("one-by-one")).toBe(true);
  });

  it("keeps exactly what asking one by one keeps, on earlier placements with a host changed", () => {
    const ways = new Set<string>();
    fc.assert(
      fc.property(relistedArb, (p) => void ways.add(expectSameKeeping(p))),
      { numRuns: RUNS },
    );
    expect(ways.has("at-once")).toBe(true);
  });

  it("keeps a fleet's earlier placement at once, minus the lost host", () => {
    // 30 hosts over 2 zones and 3 domains (one dedicated), 40 servers of 4 tenants, with every kind of rule the bulk check answers.
    const hosts = Array.from({ length: 30 }, (_, i) =>
      host(`h${String(i).padStart(2, "0")}`, {
        zone: `z${i % 2}`,
        failureDomain: `fd-${i % 3}`,
        dedicatedTenant: i === 0 ? "t0" : undefined,
      }),
    );
    const servers = Array.from({ length: 40 }, (_, i) =>
      server(`s${i}`, {
        tenant: `t${i % 4}`,
        replicas: 3,
        cpuMillis: 250,
        memoryMiB: 512,
        zones: [`z${i % 2}`],
        isolation: i % 10 === 0 ? "dedicated" : "shared",
        spread: "required",
        stage: i % 3 === 0 ? "production" : "staging",
      }),
    );
    const rules = [{ kind: "neverShare" as const, tenants: ["t1", "t2"] as [string, string] }, { kind: "stageSeparation" as const }];
    const p = problem({ hosts, stateServers: servers, rules });
    const placements = placeReplicas(p).placements;
    const lost = placements[0]!.host;
    const relisted = { ...p, existing: placements, hosts: p.hosts.map((h) => (h.id === lost ? { ...h, state: "down" as const } : h)) };
    expect(expectSameKeeping(relisted)).toBe("at-once");
    const engine = new PlacementEngine(relisted);
    const onLost = placements.filter((x) => x.host === lost).length;
    expect(engine.unplacedReplicas().length).toBe(onLost);
  });
});
