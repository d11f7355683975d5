import { FILTERS, firstFailure } from "./filters";
import { formatDiagnosis, REASON_CODES } from "./reasons";
import { keepListed } from "./keep-listed";
import { HostClasses } from "./select";
import { ServerContext } from "./server-context";
import { ClusterState, HS_DRAINING } from "./state";
import { packHostByHost } from "./vector-pack";
import type { Move, Placement, PlacementProblem, PlacementResult, ReasonCounts, UnplacedReplica } from "./types";

export interface Diagnosis {
  reasons: ReasonCounts;
  message: string;
  feasible: number;
}

/**
 * A compiled placement problem that stays in memory: place everything once,
 * then react to host changes by touching only the affected replicas.
 */
export class PlacementEngine {
  readonly st: ClusterState;
  readonly ctx: ServerContext;
  readonly classes: HostClasses;
  /** Host a replica was on before it had to move, or -1. */
  readonly previousHost: Int32Array;
  readonly diagnosis = new Map<number, Diagnosis>();
  private readonly orderKeys: Float64Array;
  private readonly orderSizes: Float64Array;

  constructor(readonly problem: PlacementProblem) {
    this.st = new ClusterState(problem);
    this.ctx = new ServerContext(this.st);
    this.previousHost = new Int32Array(this.st.replicaHost.length).fill(-1);
    this.orderKeys = new Float64Array(this.st.nServers);
    this.orderSizes = new Float64Array(this.st.nServers);
    keepListed(this);
    // Built once every kept replica is in: each host is filed once, not re-filed per replica.
    this.classes = new HostClasses(this.st, this.ctx);
  }

  /**
   * A replica leaving a draining host keeps running until its replacement
   * runs (make-before-break), so its hosted-by edges stay in the graph for as
   * long as this engine lives: nothing placed meanwhile may close a cycle through them.
   */
  keepHostingEdges(rep: number, h: number): void {
    const st = this.st;
    const e = st.hostEnv[h]!;
    const s = st.replicaServer[rep]!;
    if (e >= 0) for (let i = st.envStart[s]!; i < st.envStart[s + 1]!; i++) st.graph.addEdge(st.envList[i]!, e);
  }

  /** Assigns a replica and re-files its host. */
  put(rep: number, h: number): void {
    this.st.assign(rep, h);
    this.ctx.noteReplica(h);
    this.classes.refresh(h);
  }

  /**
   * Deterministic server order. Dedicated servers first (they need hosts no
   * other tenant uses). spread: most replicas first, then largest. binpack:
   * sizes interleaved in proportion (each size class spread evenly over the
   * sequence), so hosts fill with a mix that exhausts cpu, memory and slots
   * together; largest-first would leave the small replicas to fill hosts by
   * slot count alone. Server index breaks ties.
   */
  serverOrder(servers: number[]): number[] {
    const st = this.st;
    const size = (s: number) => st.serverCpu[s]! / 1000 + st.serverMem[s]! / 2048;
    const keys = this.orderKeys;
    if (st.binpack) {
      const bySize = new Map<string, number[]>();
      for (const s of servers) {
        const k = `${st.serverDedicated[s]}|${st.serverCpu[s]}|${st.serverMem[s]}`;
        const list = bySize.get(k);
        if (list) list.push(s);
        else bySize.set(k, [s]);
      }
      for (const list of bySize.values()) {
        list.sort((a, b) => st.serverReplicas[b]! - st.serverReplicas[a]! || a - b);
        list.forEach((s, rank) => (keys[s] = -(rank + 0.5) / list.length));
      }
    } else for (const s of servers) keys[s] = st.serverReplicas[s]! * 1e6 + size(s);
    // The comparator runs ~n log n times, mostly before it is optimized: sizes computed once, arrays in locals.
    const sizes = this.orderSizes;
    for (const s of servers) sizes[s] = size(s);
    const dedicated = st.serverDedicated;
    return servers.sort((a, b) => dedicated[b]! - dedicated[a]! || keys[b]! - keys[a]! || sizes[b]! - sizes[a]! || a - b);
  }

  /** Replicas without a host right now. */
  unplacedReplicas(): number[] {
    const out: number[] = [];
    for (let rep = 0; rep < this.st.replicaHost.length; rep++) if (this.st.replicaHost[rep]! < 0) out.push(rep);
    return out;
  }

  /** Recomputes the diagnosis of replicas left without a host (after a search changed the state). */
  rediagnose(replicas: readonly number[]): void {
    const st = this.st;
    for (const rep of replicas) {
      this.diagnosis.delete(rep);
      if (st.replicaHost[rep]! >= 0) continue;
      this.ctx.prepare(st.replicaServer[rep]!);
      this.diagnosis.set(rep, this.diagnose());
    }
  }

  /**
   * Places every replica that has no host; returns the replicas it placed.
   * binpack first fills hosts one at a time (vector-pack.ts); whatever that
   * leaves goes through the per-replica pass, which also diagnoses failures.
   */
  placePending(): number[] {
    const st = this.st;
    const placed = st.binpack ? packHostByHost(this) : [];
    const servers: number[] = [];
    for (let s = 0; s < st.nServers; s++) {
      for (let r = st.replicaOffset[s]!; r < st.replicaOffset[s + 1]!; r++)
        if (st.replicaHost[r]! < 0) {
          servers.push(s);
          break;
        }
    }
    for (const s of this.serverOrder(servers)) this.placeServer(s, placed);
    return placed;
  }

  placeServer(s: number, placed: number[]): void {
    const st = this.st;
    this.ctx.prepare(s);
    this.classes.collectEligible();
    for (let rep = st.replicaOffset[s]!; rep < st.replicaOffset[s + 1]!; rep++) {
      if (st.replicaHost[rep]! >= 0) continue;
      const h = this.classes.select();
      if (h < 0) {
        const d = this.diagnose();
        for (let r = rep; r < st.replicaOffset[s + 1]!; r++) if (st.replicaHost[r]! < 0) this.diagnosis.set(r, d);
        return;
      }
      this.diagnosis.delete(rep);
      this.put(rep, h);
      placed.push(rep);
    }
  }

  /** Counts every host under the first filter it fails, for the server prepared in ctx. */
  diagnose(): Diagnosis {
    const counts = new Int32Array(REASON_CODES.length);
    let feasible = 0;
    for (let h = 0; h < this.st.nHosts; h++) {
      const f = firstFailure(this.ctx, h);
      if (f < 0) feasible++;
      else counts[f]!++;
    }
    const reasons: ReasonCounts = {};
    for (const f of FILTERS) if (counts[REASON_CODES.indexOf(f.code)]! > 0) reasons[f.code] = counts[REASON_CODES.indexOf(f.code)]!;
    return { reasons, feasible, message: formatDiagnosis(reasons, this.st.nHosts, feasible) };
  }

  /**
   * Hosts changed state. Draining/down hosts lose their replicas, which are
   * re-placed right away; nothing else moves. Returns the replicas touched.
   */
  setHostStates(changes: readonly { host: string; state: "ready" | "cordoned" | "draining" | "down" }[]): number[] {
    const st = this.st;
    const leaving = new Set<number>();
    for (const { host, state } of changes) {
      const h = st.hostIndex.get(host);
      if (h === undefined) continue;
      st.setHostState(h, state);
      this.classes.refresh(h);
      if (state === "draining" || state === "down") leaving.add(h);
    }
    const affected: number[] = [];
    if (leaving.size > 0) {
      for (let rep = 0; rep < st.replicaHost.length; rep++) {
        const h = st.replicaHost[rep]!;
        if (h >= 0 && leaving.has(h)) {
          st.unassign(rep);
          if (st.hostState[h] === HS_DRAINING) this.keepHostingEdges(rep, h);
          this.classes.refresh(h);
          if (this.previousHost[rep]! < 0) this.previousHost[rep] = h;
          affected.push(rep);
        } else if (h < 0 && leaving.has(this.previousHost[rep]!)) {
          // Listed on the host but not kept there (it broke a hard constraint): it leaves with the others.
          affected.push(rep);
        }
      }
    }
    const servers = [...new Set(affected.map((rep) => st.replicaServer[rep]!))];
    const placed: number[] = [];
    for (const s of this.serverOrder(servers)) this.placeServer(s, placed);
    return affected;
  }

  setHostState(host: string, state: "ready" | "cordoned" | "draining" | "down"): number[] {
    return this.setHostStates([{ host, state }]);
  }

  result(millis = 0): PlacementResult {
    const st = this.st;
    const placements: Placement[] = [];
    const moved: Move[] = [];
    const unplaced: UnplacedReplica[] = [];
    for (let s = 0; s < st.nServers; s++) {
      const id = this.problem.stateServers[s]!.id;
      for (let rep = st.replicaOffset[s]!; rep < st.replicaOffset[s + 1]!; rep++) {
        const ordinal = rep - st.replicaOffset[s]!;
        const h = st.replicaHost[rep]!;
        if (h >= 0) {
          placements.push({ stateServer: id, ordinal, host: st.hostIds[h]! });
          const from = this.previousHost[rep]!;
          if (from >= 0 && from !== h) moved.push({ stateServer: id, ordinal, from: st.hostIds[from]!, to: st.hostIds[h]! });
        } else {
          const d = this.diagnosis.get(rep) ?? { reasons: {}, message: "not placed" };
          unplaced.push({ stateServer: id, ordinal, reasons: d.reasons, message: d.message });
        }
      }
    }
    return { placements, moved, unplaced, stats: { millis } };
  }
}
