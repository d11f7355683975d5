import { PlacementEngine } from "./engine";
import type { DrainStep } from "./failover";
import type { Move, PlacementProblem, PlacementResult } from "./types";

export interface RebalanceOptions {
  /** Rate limit: at most this many replica moves in one plan. */
  maxMoves: number;
  /** spread: minimum drop in the source host's load (0..1) for a move to be worth it. */
  minGain?: number;
}

export interface RebalancePlan {
  moves: Move[];
  steps: DrainStep[];
  result: PlacementResult;
  /** spread: max host load before/after; binpack: hosts in use before/after. */
  before: number;
  after: number;
}

/**
 * Explicit, rate-limited rebalancing (placement itself never moves healthy
 * replicas). spread: repeatedly move one replica off the most loaded host when
 * the best other host ends up clearly less loaded. binpack: empty the least
 * loaded hosts when all their replicas fit elsewhere. Every move passes the
 * same filters as a fresh placement, and is make-before-break.
 */
export function planRebalance(problem: PlacementProblem, options: RebalanceOptions): RebalancePlan {
  const engine = new PlacementEngine(problem);
  engine.placePending();
  const st = engine.st;
  const moves: Move[] = [];
  const ready = () => [...Array(st.nHosts).keys()].filter((h) => engine.ctx.takesNewReplicas(h) && st.hostReplicas[h]! > 0);
  const metric = () => (st.binpack ? ready().length : Math.max(0, ...ready().map((h) => st.utilisation(h))));
  const before = metric();
  const repsOn = (h: number) => [...Array(st.replicaHost.length).keys()].filter((r) => st.replicaHost[r] === h);

  /** Tries to move rep off its host; returns the target or -1 (state restored). */
  const tryMove = (rep: number, accept: (from: number, to: number) => boolean): number => {
    const from = st.replicaHost[rep]!;
    const s = st.replicaServer[rep]!;
    st.unassign(rep);
    engine.classes.refresh(from);
    engine.ctx.prepare(s);
    engine.ctx.hostMark[from] = engine.ctx.epoch;
    engine.classes.collectEligible();
    const to = engine.classes.select();
    const ok = to >= 0 && accept(from, to);
    st.assign(rep, ok ? to : from);
    engine.classes.refresh(ok ? to : from);
    return ok ? to : -1;
  };
  const record = (rep: number, from: number, to: number) => {
    const s = st.replicaServer[rep]!;
    moves.push({
      stateServer: problem.stateServers[s]!.id,
      ordinal: rep - st.replicaOffset[s]!,
      from: st.hostIds[from]!,
      to: st.hostIds[to]!,
    });
  };

  if (!st.binpack) {
    const minGain = options.minGain ?? 0.05;
    while (moves.length < options.maxMoves) {
      const hosts = ready().sort((a, b) => st.utilisation(b) - st.utilisation(a) || a - b);
      const src = hosts[0];
      if (src === undefined) break;
      const srcLoad = st.utilisation(src);
      let moved = false;
      for (const rep of repsOn(src)) {
        const to = tryMove(rep, (_f, t) => st.utilisation(t) + (srcLoad - utilWithout(st, src, rep)) < srcLoad - minGain);
        if (to >= 0) {
          record(rep, src, to);
          moved = true;
          break;
        }
      }
      if (!moved) break;
    }
  } else {
    const targets = new Set<number>();
    for (const src of ready().sort((a, b) => st.utilisation(a) - st.utilisation(b) || a - b)) {
      if (targets.has(src)) continue;
      const reps = repsOn(src);
      if (moves.length + reps.length > options.maxMoves) break;
      const done: [number, number][] = [];
      for (const rep of reps) {
        const to = tryMove(rep, (_f, t) => st.hostReplicas[t]! > 0);
        if (to < 0) break;
        done.push([rep, to]);
      }
      if (done.length === reps.length)
        done.forEach(([rep, to]) => {
          record(rep, src, to);
          targets.add(to);
        });
      else
        for (const [rep] of done.reverse()) {
          const to = st.replicaHost[rep]!;
          st.unassign(rep);
          st.assign(rep, src);
          engine.classes.refresh(to);
          engine.classes.refresh(src);
        }
    }
  }
  const result = engine.result();
  const waves = new Map<string, number>();
  const steps: DrainStep[] = [];
  for (const m of moves) {
    const wave = (waves.get(m.stateServer) ?? 0) + 1;
    waves.set(m.stateServer, wave);
    steps.push({ wave, action: "start", stateServer: m.stateServer, ordinal: m.ordinal, host: m.to });
    steps.push({ wave, action: "stop", stateServer: m.stateServer, ordinal: m.ordinal, host: m.from });
  }
  steps.sort((a, b) => a.wave - b.wave);
  return { moves, steps, result: { ...result, moved: moves }, before, after: metric() };
}

function utilWithout(st: PlacementEngine["st"], h: number, rep: number): number {
  const s = st.replicaServer[rep]!;
  const cc = st.capCpu[h]!;
  const cm = st.capMem[h]!;
  const cs = st.capSlots[h]!;
  const u1 = cc > 0 ? 1 - (st.freeCpu[h]! + st.serverCpu[s]!) / cc : 1;
  const u2 = cm > 0 ? 1 - (st.freeMem[h]! + st.serverMem[s]!) / cm : 1;
  const u3 = cs === Infinity ? 0 : cs > 0 ? 1 - (st.freeSlots[h]! + 1) / cs : 1;
  return (u1 + u2 + u3) / 3;
}
