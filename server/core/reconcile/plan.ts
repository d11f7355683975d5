import { majorityOf, type HostState } from "../model";
import { placeReplicas, type ExistingPlacement, type HostedByEdge, type PlacementHost, type UnplacedReplica } from "../placement";
import type {
  EnvironmentStatus,
  PlannedPlacement,
  PlannedRemoval,
  PlannedStatus,
  PlannedUnplaced,
  ReconcileInput,
  ReconcileOptions,
  ReconcilePlan,
  ReconcileReplica,
} from "./types";

const key = (stateServer: string, ordinal: number) => `${stateServer}#${ordinal}`;
const byAge = (a: ReconcileReplica, b: ReconcileReplica) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1);
const STILL_STARTING: EnvironmentStatus[] = ["pending", "placing", "starting"];

interface Slot {
  /** The replica that serves this ordinal on a ready or cordoned host. */
  current?: ReconcileReplica;
  /** Replicas on draining hosts: they keep serving until the replacement runs (make-before-break). */
  leaving: ReconcileReplica[];
  /** An unplaced row (no host) waiting for room. */
  pending?: ReconcileReplica;
  /** Host the ordinal just lost (down), for the event's "from". */
  lostFrom?: string;
}

/** Hosts whose heartbeat is older than `missedHeartbeats` intervals are down from this pass on. */
function effectiveHostStates(input: ReconcileInput, options: ReconcileOptions) {
  const deadline = options.now - options.missedHeartbeats * options.heartbeatIntervalMs;
  const states = new Map<string, HostState>();
  const markDown: ReconcilePlan["markDown"] = [];
  for (const h of input.hosts) {
    let state = h.state;
    if (state !== "down" && (h.lastHeartbeatAt === null || h.lastHeartbeatAt < deadline)) {
      markDown.push({ host: h.id, lastHeartbeatAt: h.lastHeartbeatAt });
      state = "down";
    }
    states.set(h.id, state);
  }
  return { states, markDown };
}

/**
 * The reconciler's pure step: (desired, observed, now) -> plan. Level-triggered:
 * it looks only at the current state, so running it again on the state its
 * plan produces yields an empty plan. New placements come from the placement
 * engine; replicas on down hosts are re-placed at once, replicas on draining
 * hosts are re-placed make-before-break (the old one stops once the new one runs).
 */
export function planReconcile(input: ReconcileInput, options: ReconcileOptions): ReconcilePlan {
  const { states, markDown } = effectiveHostStates(input, options);
  const servers = new Map(input.stateServers.map((s) => [s.id, s]));
  const stop: PlannedRemoval[] = [];
  const remove: PlannedRemoval[] = [];
  const slots = new Map<string, Slot>();
  const slotOf = (s: string, o: number) => {
    let slot = slots.get(key(s, o));
    if (!slot) slots.set(key(s, o), (slot = { leaving: [] }));
    return slot;
  };
  const retire = (r: ReconcileReplica, reason: PlannedRemoval["reason"]) => {
    const hostState = r.host === null ? undefined : states.get(r.host);
    const entry = { replica: r.id, stateServer: r.stateServer, ordinal: r.ordinal, host: r.host, reason };
    if (hostState === undefined || hostState === "down") {
      if (!r.member) remove.push({ ...entry, reason: hostState ? "host-down" : reason });
    } else if (r.state !== "stopping") stop.push(entry);
  };

  for (const r of [...input.replicas].sort(byAge)) {
    const server = servers.get(r.stateServer);
    const hostState = r.host === null ? undefined : states.get(r.host);
    if (r.state === "stopping") {
      if ((hostState === undefined || hostState === "down") && !r.member) retire(r, "orphan");
      continue;
    }
    if (!server) {
      retire(r, "orphan");
      continue;
    }
    if (r.ordinal >= server.replicas) {
      retire(r, "scaled-down");
      continue;
    }
    const slot = slotOf(r.stateServer, r.ordinal);
    if (r.host === null) {
      if (slot.pending) remove.push({ replica: r.id, stateServer: r.stateServer, ordinal: r.ordinal, host: null, reason: "duplicate" });
      else slot.pending = r;
    } else if (hostState === undefined || hostState === "down") {
      if (!r.member) remove.push({ replica: r.id, stateServer: r.stateServer, ordinal: r.ordinal, host: r.host, reason: "host-down" });
      slot.lostFrom = r.host;
    } else if (hostState === "draining") {
      if (slot.leaving.length) retire(r, "duplicate");
      else slot.leaving.push(r);
    } else if (!slot.current) slot.current = r;
    else if (r.state === "running" && slot.current.state !== "running") {
      retire(slot.current, "duplicate");
      slot.current = r;
    } else retire(r, "duplicate");
  }

  const existing: ExistingPlacement[] = [];
  const hostedBy: HostedByEdge[] = [...(input.hostedBy ?? [])];
  const machineOf = new Map(input.hosts.flatMap((h) => (h.environment ? [[h.id, h.environment] as const] : [])));
  for (const server of input.stateServers) {
    for (let ordinal = 0; ordinal < server.replicas; ordinal++) {
      const slot = slotOf(server.id, ordinal);
      if (slot.current && slot.pending) {
        remove.push({ replica: slot.pending.id, stateServer: server.id, ordinal, host: null, reason: "duplicate" });
        slot.pending = undefined;
      }
      const host = slot.current?.host ?? slot.leaving[0]?.host;
      if (host) existing.push({ stateServer: server.id, ordinal, host });
      // A leaving replica beside its replacement runs until the replacement does: its hosted-by edges still count
      // (the engine keeps those of a leaving replica it places itself).
      const leavingMachineOf = slot.current && slot.leaving[0] ? machineOf.get(slot.leaving[0].host!) : undefined;
      if (leavingMachineOf)
        for (const environment of server.environments)
          if (environment !== leavingMachineOf) hostedBy.push({ environment, hostEnvironment: leavingMachineOf });
    }
  }

  const hosts: PlacementHost[] = input.hosts.map((h) => {
    const state = states.get(h.id)!;
    return {
      id: h.id,
      zone: h.zone,
      failureDomain: h.failureDomain,
      cpuMillis: h.cpuMillis,
      memoryMiB: h.memoryMiB,
      maxReplicas: h.maxReplicas,
      state: state === "ready" && !h.acceptsReplicas ? "cordoned" : state,
      dedicatedTenant: h.dedicatedTenant,
      environment: h.environment,
    };
  });
  const result = placeReplicas({
    strategy: input.strategy,
    hosts,
    stateServers: input.stateServers.map((s) => ({ ...s, zones: [s.zone] })),
    existing,
    hostedBy,
    rules: input.rules,
  });
  const target = new Map(result.placements.map((p) => [key(p.stateServer, p.ordinal), p.host]));
  const unplacedBy = new Map<string, UnplacedReplica>(result.unplaced.map((u) => [key(u.stateServer, u.ordinal), u]));

  const place: PlannedPlacement[] = [];
  const unplaced: PlannedUnplaced[] = [];
  for (const server of input.stateServers) {
    for (let ordinal = 0; ordinal < server.replicas; ordinal++) {
      const slot = slotOf(server.id, ordinal);
      const to = target.get(key(server.id, ordinal));
      const { current, leaving, pending } = slot;
      if (current) {
        if (to && to !== current.host) {
          // A replica on a live host now breaks a rule (a changed policy, say): replace it.
          retire(current, "moved");
          place.push({ stateServer: server.id, ordinal, host: to, reason: "replace", from: current.host! });
        } else if (leaving.length && current.state === "running") {
          for (const r of leaving) retire(r, "moved");
        }
      } else if (to) {
        const from = leaving[0]?.host ?? slot.lostFrom;
        const reason = leaving.length ? "drain" : slot.lostFrom ? "failover" : "new";
        place.push({
          stateServer: server.id,
          ordinal,
          host: to,
          reason,
          ...(from ? { from } : {}),
          ...(pending ? { replica: pending.id } : {}),
        });
      } else if (!leaving.length) {
        const u = unplacedBy.get(key(server.id, ordinal));
        unplaced.push({
          stateServer: server.id,
          ordinal,
          ...(pending ? { replica: pending.id } : {}),
          reasons: u?.reasons ?? {},
          message: u?.message ?? "not placed",
        });
      }
    }
  }

  return { markDown, place, stop, remove, unplaced, statuses: deriveStatuses(input, slots, states) };
}

/** Environment status from replica health: all running, a majority (degraded), or fewer (unavailable). */
function deriveStatuses(input: ReconcileInput, slots: Map<string, Slot>, states: Map<string, HostState>): PlannedStatus[] {
  const servers = new Map(input.stateServers.map((s) => [s.id, s]));
  const health = new Map<string, { running: number; placed: number; total: number }>();
  for (const server of input.stateServers) {
    let running = 0;
    let placed = 0;
    for (let ordinal = 0; ordinal < server.replicas; ordinal++) {
      const slot = slots.get(key(server.id, ordinal));
      const live = [slot?.current, ...(slot?.leaving ?? [])].filter((r) => r && states.get(r.host!) !== "down");
      if (live.some((r) => r!.state === "running")) running++;
      if (live.length) placed++;
    }
    health.set(server.id, { running, placed, total: server.replicas });
  }
  const out: PlannedStatus[] = [];
  for (const env of input.environments) {
    if (!env.stateServer || env.status === "failed" || env.status === "removing") continue;
    const h = health.get(env.stateServer);
    if (!h || !servers.has(env.stateServer)) continue;
    let to: EnvironmentStatus;
    // Writable only once its etcd user and prefix exist on the server.
    if (env.dataReady === false) to = h.placed ? "starting" : "placing";
    else if (h.running >= h.total) to = "running";
    else if (h.running >= majorityOf(h.total)) to = "degraded";
    else if (STILL_STARTING.includes(env.status)) to = h.placed ? "starting" : "placing";
    else to = "unavailable";
    if (to !== env.status) out.push({ environment: env.id, from: env.status, to, running: h.running, total: h.total });
  }
  return out;
}

/** True when the plan changes nothing (a converged fleet). */
export function isEmptyPlan(plan: ReconcilePlan): boolean {
  return !plan.markDown.length && !plan.place.length && !plan.stop.length && !plan.remove.length && !plan.statuses.length;
}
