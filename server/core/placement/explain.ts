import { PlacementEngine } from "./engine";
import { firstFailure } from "./filters";
import { formatDiagnosis, REASON_CODES } from "./reasons";
import { type ScoreBreakdown, scoreBreakdown } from "./scorers";
import type { Placement, PlacementProblem, ReasonCounts, ReplicaRef } from "./types";

export interface HostScore extends ScoreBreakdown {
  host: string;
}

export interface PlacementExplanation extends ReplicaRef {
  host: string | null;
  /** Score of the chosen host, and of the best other host that also fits. */
  chosen: HostScore | null;
  runnerUp: HostScore | null;
  feasibleHosts: number;
  totalHosts: number;
  reasons: ReasonCounts;
  message: string;
}

/**
 * "Why here?": re-evaluates one replica against the final placement with that
 * replica taken out (the state it was placed into), so the chosen host's score
 * breakdown can be compared with the runner-up's.
 */
export function explainPlacement(problem: PlacementProblem, placements: readonly Placement[], ref: ReplicaRef): PlacementExplanation {
  const mine = placements.find((p) => p.stateServer === ref.stateServer && p.ordinal === ref.ordinal);
  const others = placements.filter((p) => p !== mine);
  const engine = new PlacementEngine({ ...problem, existing: others });
  const st = engine.st;
  const s = st.serverIndex.get(ref.stateServer);
  if (s === undefined) throw new Error(`unknown state server ${ref.stateServer}`);
  engine.ctx.prepare(s);
  const counts: ReasonCounts = {};
  let best: { h: number; total: number } | null = null;
  let feasible = 0;
  const chosen = mine ? (st.hostIndex.get(mine.host) ?? -1) : -1;
  for (let h = 0; h < st.nHosts; h++) {
    const f = firstFailure(engine.ctx, h);
    if (f >= 0) {
      const code = REASON_CODES[f]!;
      counts[code] = (counts[code] ?? 0) + 1;
      continue;
    }
    feasible++;
    if (h === chosen) continue;
    const total = scoreBreakdown(engine.classes.scorers, engine.ctx, h).total;
    if (!best || total > best.total) best = { h, total };
  }
  const score = (h: number): HostScore => ({ host: st.hostIds[h]!, ...scoreBreakdown(engine.classes.scorers, engine.ctx, h) });
  const chosenScore = chosen >= 0 ? score(chosen) : null;
  const runner = best ? score(best.h) : null;
  const describe = (x: HostScore) => `${x.host} scores ${x.total} (${x.parts.map((p) => `${p.name} ${p.score}×${p.weight}`).join(" + ")})`;
  let message: string;
  if (chosenScore) {
    message = `Placed on ${describe(chosenScore)}; `;
    message += runner ? `runner-up ${describe(runner)}` : "no other host fits";
    if (runner && runner.total === chosenScore.total) message += "; tie broken by host id";
  } else {
    message = `Not placed: ${formatDiagnosis(counts, st.nHosts, feasible)}`;
  }
  return {
    ...ref,
    host: mine?.host ?? null,
    chosen: chosenScore,
    runnerUp: runner,
    feasibleHosts: feasible,
    totalHosts: st.nHosts,
    reasons: counts,
    message,
  };
}

/** Why can a replica not be placed right now (reasons counted per host)? */
export function explainUnplaced(problem: PlacementProblem, placements: readonly Placement[], ref: ReplicaRef) {
  const e = explainPlacement(problem, placements, ref);
  return { ...ref, reasons: e.reasons, feasibleHosts: e.feasibleHosts, message: formatDiagnosis(e.reasons, e.totalHosts, e.feasibleHosts) };
}
