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
 * Drains hosts: re-places only their replicas and orders the work so that no
 * state server ever has fewer running replicas than before. A server moves at
 * most one replica per wave.
 */
export function planDrain(problem: PlacementProblem, hostIds: string | string[]): DrainPlan {
  const hosts = typeof hostIds === "string" ? [hostIds] : hostIds;
  const draining = new Set(hosts);
  const engine = new PlacementEngine(problem);
  engine.placePending();
  const before = engine.result();
  const onHosts = new Set(before.placements.filter((p) => draining.has(p.host)).map((p) => `${p.stateServer}#${p.ordinal}`));
  engine.setHostStates([...draining].sort().map((host) => ({ host, state: "draining" as const })));
  const after = engine.result();
  const moves = after.moved.filter((m) => draining.has(m.from) && onHosts.has(`${m.stateServer}#${m.ordinal}`));
  const blocked = after.unplaced.filter((u) => onHosts.has(`${u.stateServer}#${u.ordinal}`));
  const waveOf = new Map<string, number>();
  const steps: DrainStep[] = [];
  const byWave = new Map<number, Move[]>();
  for (const m of moves) {
    const wave = (waveOf.get(m.stateServer) ?? 0) + 1;
    waveOf.set(m.stateServer, wave);
    byWave.set(wave, [...(byWave.get(wave) ?? []), m]);
  }
  for (const wave of [...byWave.keys()].sort((a, b) => a - b)) {
    const ms = byWave.get(wave)!;
    for (const m of ms) steps.push({ wave, action: "start", stateServer: m.stateServer, ordinal: m.ordinal, host: m.to });
    for (const m of ms) steps.push({ wave, action: "stop", stateServer: m.stateServer, ordinal: m.ordinal, host: m.from });
  }
  return { hosts, moves, steps, blocked, complete: blocked.length === 0 };
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
