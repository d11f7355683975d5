import { PlacementEngine } from "./engine";
import type { PlaceOptions, PlacementProblem, PlacementResult } from "./types";

/**
 * Places every replica of every state server: existing replicas on ready
 * (or cordoned) hosts stay put when they break no hard constraint; the rest
 * go through filter -> score -> select. Pure and deterministic.
 */
export function placeReplicas(problem: PlacementProblem, options: PlaceOptions = {}): PlacementResult {
  const clock = options.clock;
  const t0 = clock ? clock() : 0;
  const engine = new PlacementEngine(problem);
  engine.placePending();
  const millis = clock ? clock() - t0 : 0;
  return engine.result(Math.round(millis * 1000) / 1000);
}
