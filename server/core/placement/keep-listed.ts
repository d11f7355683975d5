import type { PlacementEngine } from "./engine";
import { assignAccepted } from "./assign-all";
import { HS_DRAINING } from "./state";
import type { Placement } from "./types";

/**
 * Existing replicas stay where they are listed if their host is ready or
 * cordoned and no hard constraint breaks: each listed replica is asked of
 * the filter table in replica order, with the replicas kept before it
 * assigned (keepOneByOne). keepAllAtOnce reaches the same answer in one pass
 * when nothing is refused (the usual listing: an earlier placement minus
 * hosts that went away), else the one-by-one pass runs from a clean state.
 * `existing` and `atOnce` are for tests (a listing given to an engine built
 * without one; false: one by one). Returns how the listing was kept.
 */
export function keepListed(engine: PlacementEngine, existing = engine.problem.existing, atOnce = true): "none" | "at-once" | "one-by-one" {
  if (existing.length === 0) return "none";
  const keepsInState = keepingStates(engine);
  const hostOf = listedHosts(engine, existing);
  if (atOnce && canKeepAllAtOnce(engine) && keepAllAtOnce(engine, hostOf, keepsInState)) return "at-once";
  keepOneByOne(engine, hostOf, keepsInState);
  return "one-by-one";
}

/**
 * Per host state (HS_*): 1 when a host in it keeps its replicas, 0 when not,
 * -1 when no host is in it. The state filters (as when keeping: a cordoned
 * host keeps its replicas) read nothing of a host but its state, so they are
 * asked once per state present, not once per host.
 */
function keepingStates(engine: PlacementEngine): Int8Array {
  const { st, ctx } = engine;
  const stateFilters = ctx.activeByState;
  const keepsInState = new Int8Array(4).fill(-1);
  const hostState = st.hostState;
  ctx.keeping = true;
  for (let h = 0; h < st.nHosts; h++)
    if (keepsInState[hostState[h]!] === -1) keepsInState[hostState[h]!] = ctx.rejectsHost(stateFilters, h) ? 0 : 1;
  ctx.keeping = false;
  return keepsInState;
}

/** Listed host per replica (the last listing wins), -1 for none; listings of unknown servers, hosts or ordinals are ignored. */
function listedHosts(engine: PlacementEngine, existing: readonly Placement[]): Int32Array {
  const st = engine.st;
  const servers = engine.problem.stateServers;
  const { hostIndex, serverReplicas, replicaOffset } = st;
  const hostOf = new Int32Array(st.replicaHost.length).fill(-1);
  // Listings usually follow the problem's server order: check the server after the last one found before the map.
  // A server's first replica and replica count are read once per run of its listings.
  let lastId: string | undefined;
  let s = -1;
  let first = 0;
  let replicas = 0;
  for (let i = 0; i < existing.length; i++) {
    const e = existing[i]!;
    const id = e.stateServer;
    if (id !== lastId) {
      lastId = id;
      if (servers[s + 1]?.id === id) s++;
      else if (servers[s]?.id !== id) s = st.serverIndex.get(id) ?? -1;
      first = s < 0 ? 0 : replicaOffset[s]!;
      replicas = s < 0 ? 0 : serverReplicas[s]!;
    }
    const h = hostIndex.get(e.host);
    const ordinal = e.ordinal;
    if (s < 0 || h === undefined || ordinal >= replicas) continue;
    hostOf[first + ordinal] = h;
  }
  return hostOf;
}

/** A listed replica that does not stay: it remembers the host it left (and a draining host keeps its hosting edges). */
function leave(engine: PlacementEngine, rep: number, h: number): void {
  engine.previousHost[rep] = h;
  if (engine.st.hostState[h] === HS_DRAINING) engine.keepHostingEdges(rep, h);
}

function keepOneByOne(engine: PlacementEngine, hostOf: Int32Array, keepsInState: Int8Array): void {
  const { st, ctx } = engine;
  let prepared = -1;
  for (let rep = 0; rep < hostOf.length; rep++) {
    const h = hostOf[rep]!;
    if (h < 0) continue;
    const server = st.replicaServer[rep]!;
    if (server !== prepared) {
      ctx.prepare(server);
      prepared = server;
    }
    if (keepsInState[st.hostState[h]!] !== 1 || !ctx.keepsOn(h)) {
      leave(engine, rep, h);
      continue;
    }
    st.assign(rep, h);
    ctx.noteReplica(h);
  }
}

/**
 * Whether every filter a listed replica is asked (beyond host state and
 * group) answers for all kept replicas at once (refusesKept), and amounts
 * are whole numbers (a free amount of exactly what is left then compares
 * the same however the replicas were subtracted).
 */
function canKeepAllAtOnce(engine: PlacementEngine): boolean {
  const st = engine.st;
  return !st.anyHostedHost && st.freeCpu instanceof Int32Array && engine.ctx.activeForKept.every((f) => f.refusesKept);
}

/**
 * One pass: every listed replica whose host state keeps replicas and whose
 * host group passes the group filters is assigned (assignAccepted); then each
 * remaining filter is asked once whether it refuses one of those replicas,
 * asked as if it were listed last. No filter refuses less as replicas are
 * added, so when none refuses, asking one by one in listing order keeps
 * exactly these replicas: done. Otherwise everything is taken back and
 * false returned.
 */
function keepAllAtOnce(engine: PlacementEngine, hostOf: Int32Array, keepsInState: Int8Array): boolean {
  const { st, ctx } = engine;
  // No host here is an environment's machine, so a replica that does not stay only remembers its host (leave).
  ctx.crowdedKept = assignAccepted(st, ctx, hostOf, keepsInState, engine.previousHost);
  const filters = ctx.activeForKept;
  let refused = false;
  for (let i = 0; i < filters.length && !refused; i++) refused = filters[i]!.refusesKept!(ctx);
  ctx.crowdedKept = null;
  if (!refused) return true;
  for (let rep = 0; rep < st.replicaHost.length; rep++) if (st.replicaHost[rep]! >= 0) st.unassign(rep);
  engine.previousHost.fill(-1);
  return false;
}
