import type { Placement, PlacementProblem } from "../../server/core/placement";
import { spreadCap } from "../../server/core/placement";

/**
 * Textbook vector bin packing baselines for the shape-mix instances (one
 * zone, shared tenants, no rules): servers by decreasing size (sum of demand
 * normalised by the largest host), each replica on a ready host of an allowed
 * zone that fits, holds no replica of the same server and keeps required
 * spread (at most spreadCap replicas per failure domain).
 * first-fit: the lowest host id that fits; best-fit: the host left with the
 * least normalised free capacity (cpu + memory) after it, lowest id on ties.
 */
export function vectorBaseline(problem: PlacementProblem, rule: "first-fit" | "best-fit"): { placements: Placement[]; unplaced: number } {
  const hosts = [...problem.hosts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const maxCpu = Math.max(...hosts.map((h) => h.cpuMillis));
  const maxMem = Math.max(...hosts.map((h) => h.memoryMiB));
  const freeCpu = hosts.map((h) => h.cpuMillis);
  const freeMem = hosts.map((h) => h.memoryMiB);
  const freeSlots = hosts.map((h) => h.maxReplicas ?? Infinity);
  const measure = (s: { cpuMillis: number; memoryMiB: number }) => s.cpuMillis / maxCpu + s.memoryMiB / maxMem;
  const servers = problem.stateServers.map((s, i) => ({ s, i })).sort((a, b) => measure(b.s) - measure(a.s) || a.i - b.i);
  const placements: Placement[] = [];
  let unplaced = 0;
  for (const { s } of servers) {
    const cap = s.spread === "required" ? spreadCap(problem, s) : Infinity;
    const perDomain = new Map<string, number>();
    const mine = new Set<number>();
    for (let ordinal = 0; ordinal < s.replicas; ordinal++) {
      let best = -1;
      let bestLeft = Infinity;
      for (let h = 0; h < hosts.length; h++) {
        const host = hosts[h]!;
        if (host.state !== "ready" || !s.zones.includes(host.zone) || mine.has(h)) continue;
        if ((perDomain.get(host.failureDomain) ?? 0) >= cap) continue;
        if (freeSlots[h]! < 1 || freeCpu[h]! < s.cpuMillis || freeMem[h]! < s.memoryMiB) continue;
        if (rule === "first-fit") {
          best = h;
          break;
        }
        const left = (freeCpu[h]! - s.cpuMillis) / maxCpu + (freeMem[h]! - s.memoryMiB) / maxMem;
        if (left < bestLeft) {
          best = h;
          bestLeft = left;
        }
      }
      if (best < 0) {
        unplaced++;
        continue;
      }
      freeCpu[best] = freeCpu[best]! - s.cpuMillis;
      freeMem[best] = freeMem[best]! - s.memoryMiB;
      freeSlots[best] = freeSlots[best]! - 1;
      mine.add(best);
      const d = hosts[best]!.failureDomain;
      perDomain.set(d, (perDomain.get(d) ?? 0) + 1);
      placements.push({ stateServer: s.id, ordinal, host: hosts[best]!.id });
    }
  }
  return { placements, unplaced };
}
