import type { PlacementEngine } from "./engine";
import { firstFailure } from "./filters";

/** Problems at most this size get an exact (budgeted) search after the greedy pass. */
export const EXACT_LIMITS = { replicas: 40, hosts: 32, nodes: 200_000 };

/**
 * binpack on small problems: a depth-first branch and bound over the
 * replicas placed in this run (existing ones never move), minimising
 * (replicas left unplaced, hosts in use) lexicographically, seeded with the
 * greedy answer so it can only improve on it. Symmetry breaking: replicas of
 * one server take hosts in increasing index order, and among empty hosts that
 * look identical only the first is tried. Bounded by a node budget, so it is
 * deterministic and its worst case is known. Returns nodes explored.
 */
export function improveBinpackExactly(engine: PlacementEngine, replicas: number[]): number {
  const st = engine.st;
  const ctx = engine.ctx;
  const n = replicas.length;
  if (n === 0) return 0;
  const size = (r: number) => st.serverCpu[st.replicaServer[r]!]! / 1000 + st.serverMem[st.replicaServer[r]!]! / 2048;
  // Most constrained first: dedicated servers, then servers with fewer usable hosts, then larger.
  const options = new Map<number, number>();
  for (const r of replicas) {
    const srv = st.replicaServer[r]!;
    if (options.has(srv)) continue;
    ctx.prepare(srv);
    let k = 0;
    for (let h = 0; h < st.nHosts; h++) if (firstFailure(ctx, h) < 0 || st.replicaHost[r] === h) k++;
    options.set(srv, k);
  }
  const key = (r: number) => st.replicaServer[r]!;
  const order = [...replicas].sort(
    (a, b) =>
      st.serverDedicated[key(b)]! - st.serverDedicated[key(a)]! ||
      options.get(key(a))! - options.get(key(b))! ||
      size(b) - size(a) ||
      key(a) - key(b) ||
      a - b,
  );
  const greedy = order.map((r) => st.replicaHost[r]!);
  const used = () => {
    let u = 0;
    for (let h = 0; h < st.nHosts; h++) if (st.hostReplicas[h]! > 0) u++;
    return u;
  };
  let bestUnplaced = greedy.filter((h) => h < 0).length;
  let bestHosts = used();
  let best = greedy.slice();
  for (const r of order) if (st.replicaHost[r]! >= 0) unplace(engine, r);

  const sig = hostSignatures(engine);
  const current = new Int32Array(n).fill(-1);
  const tried = new Int32Array(st.nHosts);
  let stamp = 0;
  let nodes = 0;
  let hostsUsed = used();
  const remCpu = new Float64Array(n + 1);
  const remMem = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    const s = st.replicaServer[order[i]!]!;
    remCpu[i] = remCpu[i + 1]! + st.serverCpu[s]!;
    remMem[i] = remMem[i + 1]! + st.serverMem[s]!;
  }
  // Hosts by capacity, largest first, per resource: the bound opens the fewest
  // (largest) unused hosts that could hold what the used hosts cannot.
  // Host states do not change during the search: asked of the filter table once per host.
  const takesNew = Uint8Array.from({ length: st.nHosts }, (_, h) => (engine.ctx.takesNewReplicas(h) ? 1 : 0));
  const byCap = (cap: ArrayLike<number>) =>
    [...Array(st.nHosts).keys()].filter((h) => takesNew[h] === 1).sort((a, b) => cap[b]! - cap[a]! || a - b);
  const orders = [byCap(st.capCpu), byCap(st.capMem), byCap(st.capSlots)];
  const caps = [st.capCpu, st.capMem, st.capSlots];
  const frees = [st.freeCpu, st.freeMem, st.freeSlots];
  /** Lower bound on hosts in use once replicas i.. are all placed (Infinity: they cannot all fit). */
  const lowerBound = (i: number) => {
    const rem = [remCpu[i]!, remMem[i]!, n - i];
    let extra = 0;
    for (let k = 0; k < 3; k++) {
      let need = rem[k]!;
      for (let h = 0; h < st.nHosts && need > 0; h++) if (st.hostReplicas[h]! > 0 && takesNew[h] === 1) need -= Math.max(0, frees[k]![h]!);
      let opened = 0;
      for (const h of orders[k]!) {
        if (need <= 0) break;
        if (st.hostReplicas[h]! > 0) continue;
        need -= caps[k]![h]!;
        opened++;
      }
      if (need > 0) return Infinity;
      if (opened > extra) extra = opened;
    }
    return hostsUsed + extra;
  };

  const dfs = (i: number, unplaced: number): void => {
    if (++nodes > EXACT_LIMITS.nodes) return;
    if (unplaced > bestUnplaced) return;
    if (i === n) {
      if (unplaced < bestUnplaced || hostsUsed < bestHosts) {
        bestUnplaced = unplaced;
        bestHosts = hostsUsed;
        best = Array.from(current);
      }
      return;
    }
    if (unplaced === bestUnplaced && lowerBound(i) >= bestHosts) return;
    const rep = order[i]!;
    const s = st.replicaServer[rep]!;
    // Symmetry: replicas of one server are interchangeable, so a later one takes
    // a higher host index, and once one is left out the rest are left out too.
    let after = -1;
    let skipped = false;
    for (let j = 0; j < i; j++)
      if (st.replicaServer[order[j]!] === s) {
        if (current[j]! < 0) skipped = true;
        else if (current[j]! > after) after = current[j]!;
      }
    if (skipped) {
      dfs(i + 1, unplaced + 1);
      return;
    }
    ctx.prepare(s);
    const candidates: number[] = [];
    const myStamp = ++stamp;
    for (let h = after + 1; h < st.nHosts; h++) {
      if (firstFailure(ctx, h) >= 0) continue;
      if (st.hostReplicas[h] === 0) {
        if (tried[sig[h]!] === myStamp) continue;
        tried[sig[h]!] = myStamp;
      }
      candidates.push(h);
    }
    candidates.sort((a, b) => st.freeCpu[a]! - st.freeCpu[b]! || a - b);
    for (const h of candidates) {
      const opened = st.hostReplicas[h] === 0;
      st.assign(rep, h);
      if (opened) hostsUsed++;
      current[i] = h;
      dfs(i + 1, unplaced);
      st.unassign(rep);
      if (opened) hostsUsed--;
      current[i] = -1;
      if (nodes > EXACT_LIMITS.nodes) return;
    }
    dfs(i + 1, unplaced + 1);
  };
  dfs(0, 0);
  order.forEach((r, i) => {
    const h = best[i]!;
    if (h >= 0) {
      st.assign(r, h);
      engine.classes.refresh(h);
    }
  });
  return nodes;
}

function unplace(engine: PlacementEngine, rep: number): void {
  const h = engine.st.replicaHost[rep]!;
  engine.st.unassign(rep);
  engine.classes.refresh(h);
}

/** Hosts that look the same to every filter and scorer while empty share a signature. */
function hostSignatures(engine: PlacementEngine): Int32Array {
  const st = engine.st;
  const seen = new Map<string, number>();
  const sig = new Int32Array(st.nHosts);
  for (let h = 0; h < st.nHosts; h++) {
    const k = [
      st.hostZone[h],
      st.hostDomain[h],
      st.hostDedicated[h],
      st.hostEnv[h],
      st.capCpu[h],
      st.capMem[h],
      st.capSlots[h],
      st.hostState[h],
    ].join("|");
    if (!seen.has(k)) seen.set(k, h);
    sig[h] = seen.get(k)!;
  }
  return sig;
}
