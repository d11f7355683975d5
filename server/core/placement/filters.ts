import type { HostClassView } from "./host-groups";
import { R, type ReasonCode } from "./reasons";
import type { ServerContext } from "./server-context";
import { type ClusterState, HS_CORDONED, HS_DOWN, HS_DRAINING, STAGE_PRODUCTION, STAGE_STAGING } from "./state";

export interface FilterPlugin {
  code: ReasonCode;
  /** state: the host's state (all such a filter reads of the host); static: what the host is (zone, dedication, environment); dynamic: what already runs there. */
  kind: "state" | "static" | "dynamic";
  rejects(c: ServerContext, h: number): boolean;
  /**
   * The verdict for every host that looks like k (a host group or class), the
   * same rule as `rejects` asked of the class's attributes: the precomputation
   * (prepare, collectEligible) asks the table, never a copy of a rule. Exact
   * when `judges` is set; otherwise true only when every such host is refused
   * (a prune: those hosts are still asked one by one).
   */
  rejectsClass?(c: ServerContext, k: HostClassView): boolean;
  /** What answers this filter for all its hosts at once: a host group (zone and dedication suffice) or a host class. */
  judges?: "group" | "class";
  /**
   * False when the problem has nothing this filter looks at (no rule, no
   * dedicated host, no hosted machine...), so it never rejects and the hot
   * paths skip it. Absent: always checked. Host states can change later, so
   * the state filters have none.
   */
  canReject?(st: ClusterState): boolean;
  /**
   * Keeping listed replicas at once (keep-listed.ts): with every listed
   * replica that passed the state and group filters assigned, whether this
   * filter refuses one of them asked as if it were listed last (the same
   * rule as `rejects`, asked with that replica taken back). May prepare ctx
   * for any server. Absent: listed replicas are asked one by one.
   */
  refusesKept?(c: ServerContext): boolean;
}

// Each rule once, as a function of the attribute it looks at; a filter asks it of a host or of a host class.
const zoneNotGranted = (c: ServerContext, zone: number) => c.zoneMark[zone] !== c.epoch;
const zoneReservedForOthers = (c: ServerContext, zone: number) => {
  const reserved = c.st.zoneReserved[zone];
  return reserved != null && !reserved.has(c.st.serverTenant[c.s]!);
};
const dedicatedToOther = (c: ServerContext, tenant: number) => tenant >= 0 && tenant !== c.st.serverTenant[c.s];
const servesEnvironment = (c: ServerContext, env: number) => env >= 0 && c.envServedMark[env] === c.epoch;
const closesCycle = (c: ServerContext, env: number) => env >= 0 && c.envReachMark[env] === c.epoch;
const domainFull = (count: number, cap: number) => count >= cap;
const short = (free: number, demand: number) => free < demand;
const stageClash = (c: ServerContext, production: boolean, staging: boolean): boolean => {
  if (!c.st.stageSeparation) return false;
  const stage = c.st.serverStage[c.s]!;
  return stage === STAGE_PRODUCTION ? staging : stage === STAGE_STAGING && production;
};

/** A dedicated replica shares its host with no other tenant: refused when others run there and either side is dedicated. */
const isolationClash = (dedicatedServer: boolean, dedicatedOnHost: boolean, othersOnHost: boolean) =>
  othersOnHost && (dedicatedServer || dedicatedOnHost);
const isolationRejects = (c: ServerContext, h: number): boolean => {
  const st = c.st;
  const distinct = st.tenantDistinct[h]!;
  const onlyMine = distinct === 0 || (distinct === 1 && st.tenantSum[h] === st.serverTenant[c.s]);
  return isolationClash(st.serverDedicated[c.s] === 1, st.dedicatedCount[h]! > 0, !onlyMine);
};
const neverShareRejects = (c: ServerContext, h: number, t: number): boolean => {
  const others = c.st.neverShare[t]!;
  for (let i = 0; i < others.length; i++) if (c.st.hostTenants.has(h, others[i]!)) return true;
  return false;
};

/** Whether refuses(c, h) holds for a host that holds replicas. */
function someHostWithReplicas(c: ServerContext, refuses: (c: ServerContext, h: number) => boolean): boolean {
  const replicas = c.st.hostReplicas;
  const n = replicas.length;
  for (let h = 0; h < n; h++) if (replicas[h]! > 0 && refuses(c, h)) return true;
  return false;
}

/**
 * Servers two of whose assigned replicas share a failure domain (ctx.crowdedKept
 * when set). Only these can have two replicas on one host or a domain over
 * the spread cap: a replica alone in its domain never finds it full (the cap is at least 1).
 */
function crowdedKeptServers(c: ServerContext): readonly number[] {
  if (c.crowdedKept !== null) return c.crowdedKept;
  const { replicaHost, replicaOffset, hostDomain, nServers } = c.st;
  const seenBy = new Int32Array(c.st.domains.ids.length).fill(-1);
  const crowded: number[] = [];
  for (let s = 0; s < nServers; s++) {
    let twoInOne = false;
    for (let rep = replicaOffset[s]!; rep < replicaOffset[s + 1]!; rep++) {
      if (replicaHost[rep]! < 0) continue;
      const d = hostDomain[replicaHost[rep]!]!;
      if (seenBy[d] === s) twoInOne = true;
      seenBy[d] = s;
    }
    if (twoInOne) crowded.push(s);
  }
  return crowded;
}

/** Two replicas of one server on one host (the later one is refused, asked last): each host stamped with the server seen there. */
function twoOnOneHost(c: ServerContext): boolean {
  const { replicaHost, replicaOffset } = c.st;
  const seenBy = new Int32Array(c.st.nHosts).fill(-1);
  for (const s of crowdedKeptServers(c))
    for (let rep = replicaOffset[s]!; rep < replicaOffset[s + 1]!; rep++) {
      const h = replicaHost[rep]!;
      if (h < 0) continue;
      if (seenBy[h] === s) return true;
      seenBy[h] = s;
    }
  return false;
}

/** A replica of a required-spread server whose domain is full with it taken back: the others there against the cap. */
function domainOverfull(c: ServerContext): boolean {
  const { replicaHost, replicaOffset, hostDomain, serverSpreadRequired } = c.st;
  // Replicas of the current server per domain, stamped with the server.
  const countOf = new Int32Array(c.st.domains.ids.length);
  const stamp = new Int32Array(c.st.domains.ids.length).fill(-1);
  for (const s of crowdedKeptServers(c)) {
    if (!serverSpreadRequired[s]) continue;
    for (let rep = replicaOffset[s]!; rep < replicaOffset[s + 1]!; rep++) {
      if (replicaHost[rep]! < 0) continue;
      const d = hostDomain[replicaHost[rep]!]!;
      if (stamp[d] !== s) {
        stamp[d] = s;
        countOf[d] = 0;
      }
      countOf[d]!++;
    }
    c.prepareGroups(s);
    for (let rep = replicaOffset[s]!; rep < replicaOffset[s + 1]!; rep++)
      if (replicaHost[rep]! >= 0 && domainFull(countOf[hostDomain[replicaHost[rep]!]!]! - 1, c.domainCap)) return true;
  }
  return false;
}

export const FILTERS: readonly FilterPlugin[] = [
  { code: "host-cordoned", kind: "state", rejects: (c, h) => c.st.hostState[h] === HS_CORDONED && !c.keeping },
  { code: "host-draining", kind: "state", rejects: (c, h) => c.st.hostState[h] === HS_DRAINING },
  { code: "host-down", kind: "state", rejects: (c, h) => c.st.hostState[h] === HS_DOWN },
  {
    code: "zone-not-allowed",
    kind: "static",
    judges: "group",
    rejects: (c, h) => zoneNotGranted(c, c.st.hostZone[h]!),
    rejectsClass: (c, k) => zoneNotGranted(c, k.zone),
  },
  {
    code: "zone-reserved",
    kind: "static",
    judges: "group",
    canReject: (st) => st.zoneReserved.some((r) => r !== null),
    rejects: (c, h) => zoneReservedForOthers(c, c.st.hostZone[h]!),
    rejectsClass: (c, k) => zoneReservedForOthers(c, k.zone),
  },
  {
    code: "host-dedicated-to-other-tenant",
    kind: "static",
    judges: "group",
    canReject: (st) => st.hostDedicated.some((t) => t >= 0),
    rejects: (c, h) => dedicatedToOther(c, c.st.hostDedicated[h]!),
    rejectsClass: (c, k) => dedicatedToOther(c, k.dedicatedTenant),
  },
  {
    code: "serves-environment",
    kind: "static",
    judges: "class",
    canReject: (st) => st.anyHostedHost,
    rejects: (c, h) => servesEnvironment(c, c.st.hostEnv[h]!),
    rejectsClass: (c, k) => servesEnvironment(c, k.environment),
  },
  {
    code: "hosting-cycle",
    kind: "static",
    judges: "class",
    canReject: (st) => st.anyHostedHost,
    rejects: (c, h) => closesCycle(c, c.st.hostEnv[h]!),
    rejectsClass: (c, k) => closesCycle(c, k.environment),
  },
  {
    code: "replica-already-on-host",
    kind: "dynamic",
    rejects: (c, h) => c.hostMark[h] === c.epoch,
    refusesKept: twoOnOneHost,
  },
  {
    code: "spread-domain-full",
    kind: "dynamic",
    judges: "class",
    rejects: (c, h) => domainFull(c.domainCount[c.st.hostDomain[h]!]!, c.domainCap),
    rejectsClass: (c, k) => domainFull(c.domainCount[k.domain]!, c.domainCap),
    refusesKept: domainOverfull,
  },
  {
    code: "dedicated-isolation",
    kind: "dynamic",
    canReject: (st) => st.serverDedicated.includes(1),
    rejects: isolationRejects,
    // Hosts holding a dedicated replica of another tenant refuse everyone else.
    rejectsClass: (c, k) => dedicatedToOther(c, k.dedicatedReplicaTenant),
    // Some replica is refused iff two tenants share a host and one runs a dedicated replica there.
    refusesKept: (c) => someHostWithReplicas(c, (c, h) => isolationClash(false, c.st.dedicatedCount[h]! > 0, c.st.tenantDistinct[h]! > 1)),
  },
  {
    code: "never-share",
    kind: "dynamic",
    canReject: (st) => st.neverShare.some((others) => others.length > 0),
    rejects: (c, h) => neverShareRejects(c, h, c.st.serverTenant[c.s]!),
    // Only other tenants count, so a replica's own presence changes nothing: asked of each kept replica of a ruled tenant.
    refusesKept: (c) => {
      const { nServers, neverShare, serverTenant, replicaOffset, replicaHost } = c.st;
      // Per tenant, 1 when a rule names it: one load per server instead of a tenant's list and its length.
      const ruled = new Uint8Array(neverShare.length);
      for (let t = 0; t < neverShare.length; t++) ruled[t] = neverShare[t]!.length > 0 ? 1 : 0;
      for (let s = 0; s < nServers; s++) {
        if (ruled[serverTenant[s]!] === 0) continue;
        for (let rep = replicaOffset[s]!; rep < replicaOffset[s + 1]!; rep++)
          if (replicaHost[rep]! >= 0 && neverShareRejects(c, replicaHost[rep]!, serverTenant[s]!)) return true;
      }
      return false;
    },
  },
  {
    code: "stage-separation",
    kind: "dynamic",
    canReject: (st) => st.stageSeparation,
    rejects: (c, h) => stageClash(c, c.st.productionCount[h]! > 0, c.st.stagingCount[h]! > 0),
    // A class's stage mark says production when any host runs production, staging when only staging runs there.
    rejectsClass: (c, k) => stageClash(c, k.stageMark === STAGE_PRODUCTION, k.stageMark === STAGE_STAGING),
    // A replica's own stage is not what it clashes with: some replica is refused iff both stages run on a host.
    refusesKept: (c) =>
      someHostWithReplicas(c, (c, h) => c.st.stageSeparation && c.st.productionCount[h]! > 0 && c.st.stagingCount[h]! > 0),
  },
  {
    code: "insufficient-slots",
    kind: "dynamic",
    rejects: (c, h) => short(c.st.freeSlots[h]!, 1),
    canReject: (st) => st.capSlots.some((x) => x !== Infinity),
    // Asked last, a replica gets its own slot back: free + 1 < 1.
    refusesKept: (c) => someHostWithReplicas(c, (c, h) => short(c.st.freeSlots[h]! + 1, 1)),
  },
  // Asked last, a replica gets its own demand d back: free + d < d, i.e. free < 0 (exact on whole amounts).
  {
    code: "insufficient-cpu",
    kind: "dynamic",
    rejects: (c, h) => short(c.st.freeCpu[h]!, c.st.serverCpu[c.s]!),
    refusesKept: (c) => someHostWithReplicas(c, (c, h) => short(c.st.freeCpu[h]!, 0)),
  },
  {
    code: "insufficient-memory",
    kind: "dynamic",
    rejects: (c, h) => short(c.st.freeMem[h]!, c.st.serverMem[c.s]!),
    refusesKept: (c) => someHostWithReplicas(c, (c, h) => short(c.st.freeMem[h]!, 0)),
  },
];

/** Index into REASON_CODES of the first filter the host fails, or -1 when it fits. */
export function firstFailure(c: ServerContext, h: number): number {
  const filters = c.active;
  for (let i = 0; i < filters.length; i++) if (filters[i]!.rejects(c, h)) return R[filters[i]!.code];
  return -1;
}

/** The hot-path check for hosts of a class the class-level filters accepted: the dynamic filters asked host by host. */
export function fitsDynamic(c: ServerContext, h: number): boolean {
  const filters = c.activeByHost;
  for (let i = 0; i < filters.length; i++) if (filters[i]!.rejects(c, h)) return false;
  return true;
}
