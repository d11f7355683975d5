import type { PlacementEngine } from "./engine";
import { FILTERS, firstFailure, type FilterPlugin } from "./filters";
import { FillSearch } from "./fill-search";
import { R } from "./reasons";

/** Candidates of one shape a host may reject before the shape counts as not fitting that host (bounds the walk). */
const MAX_REJECTS_PER_SHAPE = 64;

/**
 * Servers waiting for hosts, grouped by what the packing sees: demand
 * (cpu, memory) and, as static eligibility, allowed zones and the tenant of
 * dedicated servers (the group key, so the group-wide filters answer alike for all). Within a group, servers with more replicas come first
 * (harder to spread late), then server index.
 */
interface ShapeGroup {
  cpu: number;
  mem: number;
  servers: number[];
  /** servers[0 .. head) have no replica left to place. */
  head: number;
  /** The tenant of the group's dedicated servers, or -1 (shared servers of any tenant). */
  owner: number;
  /** Whether the group-wide filters reject hosts of a (zone, dedicated tenant) key (groupRejects' memo). */
  rejectedOn: Map<number, boolean>;
}

const filterNamed = (code: string): FilterPlugin => FILTERS.find((f) => f.code === code)!;
/** The filters whose verdict is the same for every server of a group: its shared zones, and the tenant of a dedicated group. */
const ZONE_FILTER = filterNamed("zone-not-allowed");
const DEDICATED_FILTER = filterNamed("host-dedicated-to-other-tenant");

/**
 * Whether every server of g is rejected on h by a group-wide filter, asked of
 * the filter registry once per (group, host zone, host's dedicated tenant),
 * so whole groups drop out of a host's search without a check written twice.
 */
function groupRejects(engine: PlacementEngine, g: ShapeGroup, h: number): boolean {
  const st = engine.st;
  const key = st.hostZone[h]! * (st.nTenants + 1) + st.hostDedicated[h]! + 1;
  let rejected = g.rejectedOn.get(key);
  if (rejected === undefined) {
    engine.ctx.prepare(g.servers[0]!);
    rejected = ZONE_FILTER.rejects(engine.ctx, h) || (g.owner >= 0 && DEDICATED_FILTER.rejects(engine.ctx, h));
    g.rejectedOn.set(key, rejected);
  }
  return rejected;
}

/**
 * How much each resource binds (cpu, memory, slots): waiting demand over the
 * free capacity of the hosts not yet filled, kept up to date as hosts fill,
 * so each host fill favours using up the resource that will run out first.
 */
class Scarcity {
  readonly weights = new Float64Array(3);
  private readonly demand = new Float64Array(3);
  private readonly free = new Float64Array(3);

  constructor(
    private readonly engine: PlacementEngine,
    left: Int32Array,
    hosts: readonly number[],
  ) {
    const st = engine.st;
    for (let s = 0; s < st.nServers; s++) this.add(this.demand, left[s]! * st.serverCpu[s]!, left[s]! * st.serverMem[s]!, left[s]!);
    for (const h of hosts) this.add(this.free, st.freeCpu[h]!, st.freeMem[h]!, st.freeSlots[h]!);
  }

  private add(into: Float64Array, cpu: number, mem: number, slots: number): void {
    into[0] = into[0]! + cpu;
    into[1] = into[1]! + mem;
    into[2] = into[2]! + (slots === Infinity ? 0 : slots);
  }

  /** Recomputes the weights before the next host fills. */
  update(): void {
    let top = 0;
    for (let d = 0; d < 3; d++) {
      this.weights[d] = this.free[d]! > 0 ? this.demand[d]! / this.free[d]! : 0;
      top = Math.max(top, this.weights[d]!);
    }
    for (let d = 0; d < 3; d++) this.weights[d] = top > 0 ? this.weights[d]! / top : 1;
  }

  placed(s: number): void {
    const st = this.engine.st;
    this.add(this.demand, -st.serverCpu[s]!, -st.serverMem[s]!, -1);
  }

  /** Host h is done: what it left free is no longer on offer. */
  filled(cpuBefore: number, memBefore: number, slotsBefore: number): void {
    this.add(this.free, -cpuBefore, -memBefore, -slotsBefore);
  }
}

function groupPending(engine: PlacementEngine, left: Int32Array): ShapeGroup[] {
  const st = engine.st;
  const byKey = new Map<string, ShapeGroup>();
  for (let s = 0; s < st.nServers; s++) {
    if (left[s] === 0) continue;
    const zones = st.zoneList.subarray(st.zoneStart[s]!, st.zoneStart[s + 1]!).join(",");
    const owner = st.serverDedicated[s] ? st.serverTenant[s]! : -1;
    const key = `${st.serverCpu[s]}|${st.serverMem[s]}|${zones}|${owner}`;
    let g = byKey.get(key);
    if (!g)
      byKey.set(
        key,
        (g = {
          cpu: st.serverCpu[s]!,
          mem: st.serverMem[s]!,
          servers: [],
          head: 0,
          owner,
          rejectedOn: new Map(),
        }),
      );
    g.servers.push(s);
  }
  const groups = [...byKey.values()];
  for (const g of groups) g.servers.sort((a, b) => st.serverReplicas[b]! - st.serverReplicas[a]! || a - b);
  // Larger shapes first on equal fit; the order is fixed, so ties are deterministic.
  return groups.sort((a, b) => b.cpu + b.mem / 2 - (a.cpu + a.mem / 2) || b.cpu - a.cpu || a.servers[0]! - b.servers[0]!);
}

/**
 * binpack, bin-centric (Panigrahy et al., "Heuristics for Vector Bin
 * Packing", 2011, fill one bin at a time): hosts already in use first (most
 * loaded first), then empty hosts in index order. Each host takes the
 * combination of waiting replicas that fills its cpu and memory most
 * (FillSearch), so CPU-heavy replicas share hosts with memory-heavy ones
 * instead of each kind exhausting one resource. Every replica passes every
 * filter on its host (a group whose servers the host rejects drops out for
 * that host). Replicas it cannot place stay pending for the caller's
 * per-replica pass. Deterministic: fixed host and group order, bounded search.
 */
export function packHostByHost(engine: PlacementEngine): number[] {
  const st = engine.st;
  const left = new Int32Array(st.nServers);
  let waiting = 0;
  for (let rep = 0; rep < st.replicaHost.length; rep++)
    if (st.replicaHost[rep]! < 0) {
      left[st.replicaServer[rep]!]!++;
      waiting++;
    }
  const placed: number[] = [];
  if (waiting === 0) return placed;
  const groups = groupPending(engine, left);
  const hosts: number[] = [];
  for (let h = 0; h < st.nHosts; h++) if (engine.ctx.takesNewReplicas(h) && !st.isClosed(h)) hosts.push(h);
  const load = (h: number) => (st.hostReplicas[h]! > 0 ? st.utilisation(h) : -1);
  hosts.sort((a, b) => load(b) - load(a) || a - b);
  const rejects = new Int32Array(groups.length);
  const cursor = new Int32Array(groups.length);
  const avail = new Int32Array(groups.length);
  const scarcity = new Scarcity(engine, left, hosts);
  const search = new FillSearch(groups, avail, scarcity.weights);
  for (const h of hosts) {
    if (waiting === 0) break;
    const before = [st.freeCpu[h]!, st.freeMem[h]!, st.freeSlots[h]!] as const;
    scarcity.update();
    rejects.fill(0);
    groups.forEach((g, k) => {
      cursor[k] = g.head;
      if (groupRejects(engine, g, h)) rejects[k] = MAX_REJECTS_PER_SHAPE;
    });
    for (;;) {
      groups.forEach((g, k) => (avail[k] = rejects[k]! >= MAX_REJECTS_PER_SHAPE ? 0 : g.servers.length - Math.max(cursor[k]!, g.head)));
      const fill = search.run(st.freeCpu[h]!, st.freeMem[h]!, st.freeSlots[h]!, st.capCpu[h]!, st.capMem[h]!, st.capSlots[h]!);
      if (fill.length === 0) break;
      let all = true;
      for (const k of fill) {
        const s = takeFrom(engine, groups[k]!, h, left, rejects, cursor, k);
        if (s < 0) {
          all = false;
          break;
        }
        const rep = nextPending(engine, s);
        engine.put(rep, h);
        left[s]!--;
        scarcity.placed(s);
        waiting--;
        placed.push(rep);
        engine.diagnosis.delete(rep);
      }
      // A complete search placed in full leaves nothing that still fits: searching again would find nothing.
      if (all && search.complete) break;
    }
    scarcity.filled(...before);
  }
  return placed;
}

/**
 * The first server of g at or after its cursor that passes every filter on h,
 * or -1. Filters only tighten while one host fills, so servers the walk
 * passes (rejected, or just placed on h) are never looked at again for h.
 */
function takeFrom(
  engine: PlacementEngine,
  g: ShapeGroup,
  h: number,
  left: Int32Array,
  rejects: Int32Array,
  cursor: Int32Array,
  k: number,
): number {
  while (g.head < g.servers.length && left[g.servers[g.head]!] === 0) g.head++;
  for (let i = Math.max(cursor[k]!, g.head); i < g.servers.length; i++) {
    const s = g.servers[i]!;
    if (left[s] === 0) continue;
    engine.ctx.prepare(s);
    const failure = firstFailure(engine.ctx, h);
    if (failure < 0) {
      cursor[k] = i + 1;
      return s;
    }
    // The group shares its zones (and, when dedicated, its tenant): these reasons reject every server in it.
    if (failure === R["zone-not-allowed"] || (g.owner >= 0 && failure === R["host-dedicated-to-other-tenant"])) break;
    if (++rejects[k]! >= MAX_REJECTS_PER_SHAPE) return -1;
  }
  cursor[k] = g.servers.length;
  return -1;
}

function nextPending(engine: PlacementEngine, s: number): number {
  const st = engine.st;
  for (let rep = st.replicaOffset[s]!; rep < st.replicaOffset[s + 1]!; rep++) if (st.replicaHost[rep]! < 0) return rep;
  throw new Error(`server ${s} has no pending replica`);
}
