import { PlacementEngine } from "./engine";
import type { Move, PlacementProblem, UnplacedReplica } from "./types";

export interface DrainStep {
  /** Steps of one wave may run together; a wave starts once the previous one is done. */
  wave: number;
  action: "start" | "stop";
  stateServer: string;
  ordinal: number;
  host: string;
}

export interface DrainPlan {
  hosts: string[];
  moves: Move[];
  /** Make-before-break: in each wave every new replica starts (and turns healthy) before its old one stops. */
  steps: DrainStep[];
  /** Replicas that cannot leave yet: they keep running where they are. */
  blocked: UnplacedReplica[];
  complete: boolean;
}

/**
 * Drains hosts: re-places only their replicas (incremental: the rest of the
 * fleet stays as the problem's existing placements put it, nothing else is
 * placed or moved) and orders the work so that no state server ever has fewer
 * running replicas than before. A server moves at most one replica per wave.
 */
export function planDrain(problem: PlacementProblem, hostIds: string | string[]): DrainPlan {
  const hosts = typeof hostIds === "string" ? [hostIds] : hostIds;
  const engine = new PlacementEngine(problem);
  const affected = engine.setHostStates([...new Set(hosts)].sort().map((host) => ({ host, state: "draining" as const })));
  const { moved: moves, unplaced: blocked } = outcomeOf(engine, affected);
  const waveOf = new Map<string, number>();
  const steps: DrainStep[] = [];
  const byWave = new Map<number, Move[]>();
  for (const m of moves) {
    const wave = (waveOf.get(m.stateServer) ?? 0) + 1;
    waveOf.set(m.stateServer, wave);
    const list = byWave.get(wave);
    if (list) list.push(m);
    else byWave.set(wave, [m]);
  }
  for (const wave of [...byWave.keys()].sort((a, b) => a - b)) {
    const ms = byWave.get(wave)!;
    for (const m of ms) steps.push({ wave, action: "start", stateServer: m.stateServer, ordinal: m.ordinal, host: m.to });
    for (const m of ms) steps.push({ wave, action: "stop", stateServer: m.stateServer, ordinal: m.ordinal, host: m.from });
  }
  return { hosts, moves, steps, blocked, complete: blocked.length === 0 };
}

/** Where the replicas that had to leave went (or why they could not), in server then ordinal order. */
function outcomeOf(engine: PlacementEngine, affected: readonly number[]): { moved: Move[]; unplaced: UnplacedReplica[] } {
  const st = engine.st;
  const moved: Move[] = [];
  const unplaced: UnplacedReplica[] = [];
  for (const rep of [...affected].sort((a, b) => a - b)) {
    const s = st.replicaServer[rep]!;
    const ref = { stateServer: engine.problem.stateServers[s]!.id, ordinal: rep - st.replicaOffset[s]! };
    const from = st.hostIds[engine.previousHost[rep]!]!;
    const h = st.replicaHost[rep]!;
    if (h >= 0) moved.push({ ...ref, from, to: st.hostIds[h]! });
    else {
      const d = engine.diagnosis.get(rep);
      unplaced.push({ ...ref, reasons: d?.reasons ?? {}, message: d?.message ?? "not placed", from });
    }
  }
  return { moved, unplaced };
}

export interface HostLossResult {
  host: string;
  moved: Move[];
  unplaced: UnplacedReplica[];
}

/**
 * Incremental failover on a live engine: the host goes down, its replicas
 * (and only those) are re-placed. O(replicas on the host x host classes).
 */
export function handleHostLoss(engine: PlacementEngine, hostId: string): HostLossResult {
  const st = engine.st;
  const affected = engine.setHostState(hostId, "down");
  const moved: Move[] = [];
  const unplaced: UnplacedReplica[] = [];
  for (const rep of affected) {
    const s = st.replicaServer[rep]!;
    const ref = { stateServer: engine.problem.stateServers[s]!.id, ordinal: rep - st.replicaOffset[s]! };
    const h = st.replicaHost[rep]!;
    if (h >= 0) moved.push({ ...ref, from: hostId, to: st.hostIds[h]! });
    else {
      const d = engine.diagnosis.get(rep);
      unplaced.push({ ...ref, reasons: d?.reasons ?? {}, message: d?.message ?? "not placed" });
    }
  }
  return { host: hostId, moved, unplaced };
}
