import type { Placement, PlacementProblem } from "../../core/placement";
import { placementProblemOf } from "../../core/policy";
import type { Db } from "../../db/client";
import { readFleetSnapshot } from "../fleet-snapshot";
import { ReadModel } from "../../db/read-model";

/** The placement engine's view of the database, plus the names the UI shows instead of ids. */
export interface LoadedProblem {
  problem: PlacementProblem;
  /** Current replica placements (replicas with a host). */
  placements: Placement[];
  hostName: Map<string, string>;
  hostDomain: Map<string, string>;
  serverName: Map<string, string>;
  serverByName: Map<string, string>;
  /** Policy rule names by engine reason code they explain. */
  ruleNames: Map<string, string[]>;
}

/** Which policy kind stands behind which engine reason code (for "the rule names"). */
const REASON_POLICY: Record<string, string> = {
  "never-share": "never_share",
  "stage-separation": "stage_separation",
  "zone-reserved": "zone_reserved",
  "serves-environment": "no_self_hosting",
  "hosting-cycle": "no_self_hosting",
  "dedicated-isolation": "production_dedicated",
};

/**
 * The same problem the controller and the admin tools (drain preview,
 * compliance) hand the engine: one fleet snapshot + placementProblemOf, so an
 * explanation on the map never disagrees with a drain preview.
 */
export async function loadProblem(db: Db): Promise<LoadedProblem> {
  const world = await readFleetSnapshot(db);
  const rules = world.rules;
  const problem = placementProblemOf(world);
  const ruleNames = new Map<string, string[]>();
  for (const rule of rules) {
    for (const [code, kind] of Object.entries(REASON_POLICY)) {
      if (kind === rule.kind) ruleNames.set(code, [...(ruleNames.get(code) ?? []), rule.name]);
    }
  }
  return {
    problem,
    placements: problem.existing,
    hostName: new Map(world.hosts.map((h) => [h.id, h.name])),
    hostDomain: new Map(world.hosts.map((h) => [h.id, h.failureDomain])),
    serverName: new Map(world.stateServers.map((s) => [s.id, s.name])),
    serverByName: new Map(world.stateServers.map((s) => [s.name, s.id])),
    ruleNames,
  };
}

const problems = new ReadModel<LoadedProblem>("placementProblemByVersion");

/**
 * The problem is rebuilt only when the placement version changes: explanations,
 * risk and what-if questions in a support session reuse one load. Keyed by
 * database client and version, so several app instances (and test databases)
 * stay correct without coordination.
 */
export function loadProblemCached(db: Db, version: string): Promise<LoadedProblem> {
  return problems.read(db, version, () => loadProblem(db));
}
