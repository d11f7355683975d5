import { PlacementEngine } from "./engine";
import { EXACT_LIMITS, improveBinpackExactly } from "./exact";
import type { PlaceOptions, PlacementProblem, PlacementResult } from "./types";

/**
 * Places every replica of every state server: existing replicas on ready
 * (or cordoned) hosts stay put when they break no hard constraint; the rest
 * go through filter -> score -> select. Pure and deterministic. binpack on
 * small problems then runs a budgeted exact search over the new replicas.
 */
export function placeReplicas(problem: PlacementProblem, options: PlaceOptions = {}): PlacementResult {
  const clock = options.clock;
  const t0 = clock ? clock() : 0;
  const engine = new PlacementEngine(problem);
  // Only binpack's exact search needs the list (listing 30,000 replicas is not free before the JIT warms up).
  const exact = engine.st.binpack && options.exact !== false && engine.st.nHosts <= EXACT_LIMITS.hosts;
  const pending = exact ? engine.unplacedReplicas() : [];
  engine.placePending();
  if (exact && pending.length <= EXACT_LIMITS.replicas) {
    improveBinpackExactly(engine, pending);
    engine.rediagnose(pending);
  }
  const millis = clock ? clock() - t0 : 0;
  return engine.result(Math.round(millis * 1000) / 1000);
}
