import type { Stage } from "../model";
import type { ExistingPlacement, HostedByEdge, PlacementHost, PlacementProblem } from "../placement";
import type { ReconcileInput } from "../reconcile";
import { toPlacementRules } from "./constraints";
import type { FleetSnapshot } from "./fleet-snapshot";

/**
 * The one route from a fleet snapshot to the placement engine's input: the
 * controller's pass (`reconcileInputOf`, planned by core/reconcile) and every
 * preview, what-if, compliance plan and explanation (`placementProblemOf`)
 * read the fleet the same way:
 * - a server's tenant and stage come from all the environments it serves,
 *   removing ones included (their data is still there);
 * - machines of an environment that is not a host pool take no new replicas;
 * - stopping replicas are gone; of several rows for one slot the controller's
 *   pick stays (the oldest on a live host, a running one before one that is not,
 *   else the one on a draining host, whose replacement is not placed yet).
 */

interface ServerFacts {
  tenant: string;
  stage: Stage | null;
  environments: string[];
}

function serverFacts(snapshot: FleetSnapshot): Map<string, ServerFacts> {
  const served = new Map<string, FleetSnapshot["environments"]>();
  for (const e of snapshot.environments) {
    if (!e.stateServerId) continue;
    const list = served.get(e.stateServerId);
    if (list) list.push(e);
    else served.set(e.stateServerId, [e]);
  }
  const out = new Map<string, ServerFacts>();
  for (const s of snapshot.stateServers) {
    const envs = served.get(s.id) ?? [];
    let firstTenant: string | undefined;
    let production = false;
    for (const e of envs) {
      if (firstTenant === undefined || e.tenantId < firstTenant) firstTenant = e.tenantId;
      if (e.stage === "production") production = true;
    }
    const tenant = s.tenantId ?? firstTenant ?? `shared:${s.id}`;
    const stage = s.stage ?? (production ? "production" : (envs[0]?.stage ?? null));
    out.set(s.id, { tenant, stage, environments: envs.map((e) => e.id) });
  }
  return out;
}

/** Hosts that are machines of an environment that is not a host pool. */
function nonPoolHosts(snapshot: FleetSnapshot): Set<string> {
  const pools = new Set(snapshot.environments.filter((e) => e.isHostPool).map((e) => e.id));
  return new Set(snapshot.hosts.filter((h) => h.environmentId && !pools.has(h.environmentId)).map((h) => h.id));
}

const engineHost = (h: FleetSnapshot["hosts"][number]): PlacementHost => ({
  id: h.id,
  zone: h.zoneId,
  failureDomain: h.failureDomain,
  cpuMillis: h.cpuMillis,
  memoryMiB: h.memoryMiB,
  maxReplicas: h.maxReplicas,
  state: h.state,
  ...(h.dedicatedTenantId ? { dedicatedTenant: h.dedicatedTenantId } : {}),
  ...(h.environmentId ? { environment: h.environmentId } : {}),
});

const engineServer = (s: FleetSnapshot["stateServers"][number], facts: ServerFacts) => ({
  id: s.id,
  tenant: facts.tenant,
  replicas: s.replicas,
  cpuMillis: s.cpuMillis,
  memoryMiB: s.memoryMiB,
  isolation: s.tenancy,
  spread: s.spread,
  environments: facts.environments,
  ...(facts.stage ? { stage: facts.stage } : {}),
});

/** What the controller's pass reads (services/runtime/reconcile.ts `loadReconcileInput`). */
export function reconcileInputOf(snapshot: FleetSnapshot): ReconcileInput {
  const facts = serverFacts(snapshot);
  const nonPool = nonPoolHosts(snapshot);
  return {
    strategy: "spread",
    hosts: snapshot.hosts.map((h) => ({ ...engineHost(h), lastHeartbeatAt: h.lastHeartbeatAt, acceptsReplicas: !nonPool.has(h.id) })),
    stateServers: snapshot.stateServers.map((s) => ({ ...engineServer(s, facts.get(s.id)!), zone: s.zoneId })),
    replicas: snapshot.replicas.map((r) => ({
      id: r.id,
      stateServer: r.stateServerId,
      ordinal: r.ordinal,
      host: r.hostId,
      state: r.state,
      createdAt: r.createdAt,
      member: !!r.memberId,
    })),
    environments: snapshot.environments.flatMap((e) =>
      e.stateServerId
        ? [
            {
              id: e.id,
              stateServer: e.stateServerId,
              status: e.status,
              ...(e.dataServerId === undefined ? {} : { dataReady: e.dataServerId === e.stateServerId }),
            },
          ]
        : [],
    ),
    rules: toPlacementRules(snapshot.rules),
  };
}

type ReplicaRow = FleetSnapshot["replicas"][number];
const bySlot = (a: ReplicaRow, b: ReplicaRow) =>
  a.stateServerId < b.stateServerId ? -1 : a.stateServerId > b.stateServerId ? 1 : a.ordinal - b.ordinal;
const byAge = (a: ReplicaRow, b: ReplicaRow) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1);

/**
 * The replica row that holds each slot (`server#ordinal`) in the controller's
 * eyes: of the rows on a ready or cordoned host the oldest, unless a younger
 * one runs and it does not; else the oldest on a draining host. Rows in
 * `exclude` (by id) count as gone. Linear in the rows: the snapshot lists them
 * by slot, so each slot's few rows are judged together.
 */
export function slotHolders(snapshot: FleetSnapshot, exclude: ReadonlySet<string> = new Set()): ReplicaRow[] {
  const servers = new Map(snapshot.stateServers.map((s) => [s.id, s]));
  const hostState = new Map(snapshot.hosts.map((h) => [h.id, h.state]));
  let rows = snapshot.replicas;
  for (let i = 1; i < rows.length; i++)
    if (bySlot(rows[i - 1]!, rows[i]!) > 0) {
      rows = [...rows].sort(bySlot);
      break;
    }
  const out: ReplicaRow[] = [];
  const slot: ReplicaRow[] = [];
  const decide = () => {
    if (slot.length > 1) slot.sort(byAge);
    let current: ReplicaRow | undefined;
    let leaving: ReplicaRow | undefined;
    for (const r of slot) {
      const state = hostState.get(r.hostId!);
      if (state === undefined || state === "down") continue;
      if (state === "draining") leaving ??= r;
      else if (!current || (r.state === "running" && current.state !== "running")) current = r;
    }
    const holder = current ?? leaving;
    if (holder) out.push(holder);
    slot.length = 0;
  };
  for (const r of rows) {
    const server = servers.get(r.stateServerId);
    if (r.state === "stopping" || !server || r.ordinal >= server.replicas || r.hostId === null || exclude.has(r.id)) continue;
    if (slot.length && bySlot(slot[0]!, r) !== 0) decide();
    slot.push(r);
  }
  decide();
  return out;
}

/** The fleet as the engine's problem under the snapshot's rules: every slot's holder is an existing placement. */
export function placementProblemOf(snapshot: FleetSnapshot, options: { exclude?: ReadonlySet<string> } = {}): PlacementProblem {
  const facts = serverFacts(snapshot);
  const nonPool = nonPoolHosts(snapshot);
  const holders = slotHolders(snapshot, options.exclude);
  const existing: ExistingPlacement[] = holders.map((r) => ({ stateServer: r.stateServerId, ordinal: r.ordinal, host: r.hostId! }));
  return {
    strategy: "spread",
    hosts: snapshot.hosts.map((h) => {
      const host = engineHost(h);
      return nonPool.has(h.id) && host.state === "ready" ? { ...host, state: "cordoned" as const } : host;
    }),
    stateServers: snapshot.stateServers.map((s) => ({ ...engineServer(s, facts.get(s.id)!), zones: [s.zoneId] })),
    existing,
    hostedBy: leavingEdges(snapshot, facts, new Set(holders.map((r) => r.id)), options.exclude),
    rules: toPlacementRules(snapshot.rules),
  };
}

/**
 * Hosted-by edges of replicas still running on a draining host beside the row
 * that now holds their slot: they run until it does (make-before-break), so
 * nothing placed meanwhile may close a cycle through them. Same rule as the
 * controller's pass (core/reconcile/plan.ts).
 */
function leavingEdges(
  snapshot: FleetSnapshot,
  facts: Map<string, ServerFacts>,
  holders: ReadonlySet<string>,
  exclude: ReadonlySet<string> = new Set(),
): HostedByEdge[] {
  const draining = new Map(
    snapshot.hosts.flatMap((h) => (h.state === "draining" && h.environmentId ? [[h.id, h.environmentId] as const] : [])),
  );
  const edges: HostedByEdge[] = [];
  for (const r of snapshot.replicas) {
    const hostEnvironment = r.hostId ? draining.get(r.hostId) : undefined;
    if (!hostEnvironment || r.state === "stopping" || holders.has(r.id) || exclude.has(r.id)) continue;
    for (const environment of facts.get(r.stateServerId)?.environments ?? [])
      if (environment !== hostEnvironment) edges.push({ environment, hostEnvironment });
  }
  return edges;
}
