import { placeReplicas } from "./place";
import { assessQuorumRisk, type QuorumRisk } from "./quorum-risk";
import type { Move, Placement, PlacementHost, PlacementProblem, PlacementResult, PlacementStateServer, UnplacedReplica } from "./types";

export type WhatIfScenario =
  | { kind: "drainHost"; host: string }
  | { kind: "loseHost"; host: string }
  | { kind: "loseZone"; zone: string }
  | { kind: "loseFailureDomain"; failureDomain: string }
  | { kind: "addStateServer"; stateServer: PlacementStateServer };

export interface WhatIfResult {
  scenarios: WhatIfScenario[];
  moved: Move[];
  /** Replicas placed before the scenario (or newly requested) that would have no host after it. */
  failures: UnplacedReplica[];
  /** Replicas of added state servers that would be placed. */
  added: Placement[];
  quorumRisk: { before: number; after: number; newlyAtRisk: QuorumRisk[] };
  result: PlacementResult;
}

/**
 * Answers "what happens if ...?" with the same engine, on a copy: the current
 * placement (the baseline) becomes the existing state, the scenario is
 * applied, and the moves and failures are returned. Nothing is persisted.
 */
export function whatIf(problem: PlacementProblem, scenarios: WhatIfScenario | WhatIfScenario[]): WhatIfResult {
  const list = Array.isArray(scenarios) ? scenarios : [scenarios];
  const baseline = placeReplicas(problem);
  let hosts: PlacementHost[] = problem.hosts;
  const stateServers = [...problem.stateServers];
  const added = new Set<string>();
  for (const sc of list) {
    if (sc.kind === "addStateServer") {
      stateServers.push(sc.stateServer);
      added.add(sc.stateServer.id);
      continue;
    }
    hosts = hosts.map((h) => {
      if (sc.kind === "drainHost" && h.id === sc.host) return { ...h, state: "draining" };
      if (sc.kind === "loseHost" && h.id === sc.host) return { ...h, state: "down" };
      if (sc.kind === "loseZone" && h.zone === sc.zone) return { ...h, state: "down" };
      if (sc.kind === "loseFailureDomain" && h.failureDomain === sc.failureDomain) return { ...h, state: "down" };
      return h;
    });
  }
  const next: PlacementProblem = { ...problem, hosts, stateServers, existing: baseline.placements };
  const result = placeReplicas(next);
  const wasUnplaced = new Set(baseline.unplaced.map((u) => `${u.stateServer}#${u.ordinal}`));
  const failures = result.unplaced.filter((u) => !wasUnplaced.has(`${u.stateServer}#${u.ordinal}`));
  const before = assessQuorumRisk(problem, baseline.placements);
  const after = assessQuorumRisk(next, result.placements);
  const beforeIds = new Set(before.map((r) => r.stateServer));
  return {
    scenarios: list,
    moved: result.moved,
    failures,
    added: result.placements.filter((p) => added.has(p.stateServer)),
    quorumRisk: { before: before.length, after: after.length, newlyAtRisk: after.filter((r) => !beforeIds.has(r.stateServer)) },
    result,
  };
}
