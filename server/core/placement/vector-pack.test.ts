import { describe, expect, it } from "vitest";
import { placeReplicas } from "./place";
import { host, problem, server } from "./testing";
import type { PlacementProblem, PlacementResult } from "./types";
import { verifyPlacement } from "./verify";
import { seededRandom as rng } from "../seeded-random";

/** CPU-heavy servers next to memory-heavy ones, 10% large, 1/3/5 replicas, on hosts of 8 cores / 16 GiB in 3 failure domains. */
function antiCorrelated(seed: number, hosts: number, servers: number): PlacementProblem {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  return problem({
    strategy: "binpack",
    hosts: Array.from({ length: hosts }, (_, i) =>
      host(`h${String(i).padStart(4, "0")}`, { failureDomain: `fd-${i % 3}`, cpuMillis: 8000, memoryMiB: 16384, maxReplicas: undefined }),
    ),
    stateServers: Array.from({ length: servers }, (_, i) => {
      const x = rand();
      const shape =
        x < 0.45
          ? { cpuMillis: pick([2000, 3000, 4000]), memoryMiB: pick([1024, 2048]) }
          : x < 0.9
            ? { cpuMillis: pick([500, 1000]), memoryMiB: pick([4096, 6144, 8192]) }
            : { cpuMillis: pick([3000, 4000]), memoryMiB: pick([6144, 8192]) };
      const replicas = pick([1, 3, 5]);
      return server(`s${String(i).padStart(4, "0")}`, {
        tenant: `t${Math.floor(rand() * 20)}`,
        replicas,
        ...shape,
        spread: replicas > 1 ? "required" : "preferred",
      });
    }),
  });
}

/** Every host has the same capacity here, so this bounds any placement of every replica. */
function resourceLowerBound(p: PlacementProblem): number {
  const h = p.hosts[0]!;
  const cpu = p.stateServers.reduce((a, s) => a + s.cpuMillis * s.replicas, 0);
  const mem = p.stateServers.reduce((a, s) => a + s.memoryMiB * s.replicas, 0);
  return Math.max(Math.ceil(cpu / h.cpuMillis), Math.ceil(mem / h.memoryMiB));
}

const hostsUsed = (r: PlacementResult) => new Set(r.placements.map((x) => x.host)).size;

describe("binpack vector packing", () => {
  const instance = antiCorrelated(11, 600, 540);
  const result = placeReplicas(instance);

  it("uses at most 1.02 x the resource lower bound on anti-correlated shapes, every replica placed", () => {
    const bound = resourceLowerBound(instance);
    expect(result.unplaced).toEqual([]);
    expect(bound).toBeGreaterThan(300);
    expect(hostsUsed(result)).toBeLessThanOrEqual(Math.floor(1.02 * bound));
  });

  it("breaks no hard constraint (independent checker)", () => {
    expect(verifyPlacement(instance, result)).toEqual([]);
  });

  it("is deterministic: the same answer twice, and with the hosts and existing lists given in another order", () => {
    expect(placeReplicas(antiCorrelated(11, 600, 540))).toEqual(result);
    const shuffled = { ...instance, hosts: [...instance.hosts].reverse() };
    expect(placeReplicas(shuffled).placements).toEqual(result.placements);
  });

  it("keeps what is already placed and packs the rest around it", () => {
    const existing = result.placements.filter((x) => x.stateServer < "s0100");
    const again = placeReplicas({ ...instance, existing });
    const kept = new Set(again.placements.map((x) => `${x.stateServer}#${x.ordinal}@${x.host}`));
    expect(existing.every((x) => kept.has(`${x.stateServer}#${x.ordinal}@${x.host}`))).toBe(true);
    expect(verifyPlacement({ ...instance, existing }, again)).toEqual([]);
    expect(hostsUsed(again)).toBeLessThanOrEqual(Math.floor(1.02 * resourceLowerBound(instance)));
  });
});

/**
 * The fewest hosts any valid placement of every replica uses, by brute force
 * over all assignments (hosts^replicas), judged by verifyPlacement.
 */
function bruteForceHosts(p: PlacementProblem): number {
  const replicas = p.stateServers.flatMap((s) => Array.from({ length: s.replicas }, (_, ordinal) => ({ stateServer: s.id, ordinal })));
  const choice = new Array<number>(replicas.length).fill(0);
  let best = Infinity;
  const visit = (i: number) => {
    if (i === replicas.length) {
      const placements = replicas.map((r, k) => ({ ...r, host: p.hosts[choice[k]!]!.id }));
      const used = new Set(choice).size;
      if (used < best && verifyPlacement(p, { placements, unplaced: [] }).length === 0) best = used;
      return;
    }
    const used = new Set(choice.slice(0, i)).size;
    for (let h = 0; h < p.hosts.length; h++) {
      // A host beyond the best count so far, or a second replica of one server on a host, cannot lead to a better answer.
      if (used + (choice.slice(0, i).includes(h) ? 0 : 1) >= best) continue;
      if (replicas.slice(0, i).some((r, k) => r.stateServer === replicas[i]!.stateServer && choice[k] === h)) continue;
      choice[i] = h;
      visit(i + 1);
    }
  };
  visit(0);
  return best;
}

describe("binpack on small instances equals the exact optimum", () => {
  for (let seed = 1; seed <= 12; seed++) {
    it(`seed ${seed}`, () => {
      const rand = rng(seed);
      const p = problem({
        strategy: "binpack",
        hosts: Array.from({ length: 5 }, (_, i) =>
          host(`h${i}`, { failureDomain: `fd-${i % 3}`, cpuMillis: rand() < 0.5 ? 4000 : 8000, memoryMiB: 8192, maxReplicas: 4 }),
        ),
        stateServers: Array.from({ length: 3 }, (_, i) => {
          const replicas = i === 0 ? 3 : i === 1 && rand() < 0.5 ? 2 : 1;
          return server(`s${i}`, {
            tenant: `t${i}`,
            replicas,
            cpuMillis: [500, 1000, 2000, 3000][Math.floor(rand() * 4)]!,
            memoryMiB: [1024, 2048, 4096, 6144][Math.floor(rand() * 4)]!,
            spread: replicas > 1 ? "required" : "preferred",
          });
        }),
      });
      const optimum = bruteForceHosts(p);
      const r = placeReplicas(p);
      expect(verifyPlacement(p, r)).toEqual([]);
      if (optimum === Infinity) expect(r.unplaced.length).toBeGreaterThan(0);
      else {
        expect(r.unplaced).toEqual([]);
        expect(hostsUsed(r)).toBe(optimum);
      }
    });
  }
});
