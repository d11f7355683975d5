import { R, type ReasonCode } from "./reasons";
import { type ClusterState, HS_CORDONED, HS_DOWN, HS_DRAINING, STAGE_PRODUCTION, STAGE_STAGING } from "./state";

/**
 * Per-server scratch, prepared once before a server's replicas are placed:
 * O(1) marks (hosts already holding a replica: anti-affinity; allowed zones;
 * environments that would close a hosting cycle) and the per-domain counts
 * for failure-domain spread. Epoch stamps mean nothing is ever cleared.
 */
export class ServerContext {
  s = -1;
  epoch = 0;
  readonly hostMark: Int32Array;
  readonly zoneMark: Int32Array;
  readonly envServedMark: Int32Array;
  readonly envReachMark: Int32Array;
  readonly domainCount: Int32Array;
  readonly domainEligibleMark: Int32Array;
  domainCap = 0;
  eligibleDomains = 0;
  /** When true the host-state filter accepts cordoned hosts (keeping an existing replica). */
  keeping = false;
  /** FILTERS that can reject anything in this problem, in table order; and the dynamic ones among them. */
  readonly active: readonly FilterPlugin[];
  readonly activeDynamic: readonly FilterPlugin[];

  constructor(readonly st: ClusterState) {
    this.hostMark = new Int32Array(st.nHosts);
    this.zoneMark = new Int32Array(st.zones.ids.length);
    this.envServedMark = new Int32Array(st.envs.ids.length);
    this.envReachMark = new Int32Array(st.envs.ids.length);
    this.domainCount = new Int32Array(st.domains.ids.length);
    this.domainEligibleMark = new Int32Array(st.domains.ids.length);
    this.active = FILTERS.filter((f) => !f.canReject || f.canReject(st));
    this.activeDynamic = this.active.filter((f) => f.kind === "dynamic");
  }

  prepare(s: number): void {
    const st = this.st;
    const e = ++this.epoch;
    this.s = s;
    this.keeping = false;
    this.domainCount.fill(0);
    for (let i = st.zoneStart[s]!; i < st.zoneStart[s + 1]!; i++) this.zoneMark[st.zoneList[i]!] = e;
    for (let r = st.replicaOffset[s]!; r < st.replicaOffset[s + 1]!; r++) {
      const h = st.replicaHost[r]!;
      if (h >= 0) this.noteReplica(h);
    }
    if (st.anyHostedHost) {
      const from = st.envStart[s]!;
      const to = st.envStart[s + 1]!;
      for (let i = from; i < to; i++) this.envServedMark[st.envList[i]!] = e;
      st.graph.markAncestors(st.envList, from, to, this.envReachMark, e);
    }
    // Eligible failure domains: those with a ready host this server may use
    // (zone granted and not reserved for others, host not dedicated to another tenant).
    let eligible = 0;
    const t = st.serverTenant[s]!;
    for (let g = 0; g < st.groupReady.length; g++) {
      const d = st.groupDomain[g]!;
      if (st.groupReady[g] === 0 || this.domainEligibleMark[d] === e) continue;
      const z = st.groupZone[g]!;
      if (this.zoneMark[z] !== e) continue;
      const reserved = st.zoneReserved[z];
      if (reserved && !reserved.has(t)) continue;
      const ded = st.groupDedicated[g]!;
      if (ded >= 0 && ded !== t) continue;
      this.domainEligibleMark[d] = e;
      eligible++;
    }
    this.eligibleDomains = eligible;
    const replicas = st.serverReplicas[s]!;
    this.domainCap = st.serverSpreadRequired[s] && eligible > 0 ? Math.ceil(replicas / eligible) : replicas;
  }

  noteReplica(h: number): void {
    this.hostMark[h] = this.epoch;
    this.domainCount[this.st.hostDomain[h]!]!++;
  }

  forgetReplica(h: number): void {
    this.hostMark[h] = 0;
    this.domainCount[this.st.hostDomain[h]!]!--;
  }
}

export interface FilterPlugin {
  code: ReasonCode;
  /** static: depends only on the host class; dynamic: on what already runs there. */
  kind: "state" | "static" | "dynamic";
  rejects(c: ServerContext, h: number): boolean;
  /**
   * False when the problem has nothing this filter looks at (no rule, no
   * dedicated host, no hosted machine...), so it never rejects and the hot
   * paths skip it. Absent: always checked. Host states can change later, so
   * the state filters have none.
   */
  canReject?(st: ClusterState): boolean;
}

const isolationRejects = (c: ServerContext, h: number): boolean => {
  const st = c.st;
  const t = st.serverTenant[c.s]!;
  const distinct = st.tenantDistinct[h]!;
  const onlyMine = distinct === 0 || (distinct === 1 && st.tenantSum[h] === t);
  if (st.serverDedicated[c.s]) return !onlyMine;
  return st.dedicatedCount[h]! > 0 && !onlyMine;
};

export const FILTERS: readonly FilterPlugin[] = [
  { code: "host-cordoned", kind: "state", rejects: (c, h) => c.st.hostState[h] === HS_CORDONED && !c.keeping },
  { code: "host-draining", kind: "state", rejects: (c, h) => c.st.hostState[h] === HS_DRAINING },
  { code: "host-down", kind: "state", rejects: (c, h) => c.st.hostState[h] === HS_DOWN },
  { code: "zone-not-allowed", kind: "static", rejects: (c, h) => c.zoneMark[c.st.hostZone[h]!] !== c.epoch },
  {
    code: "zone-reserved",
    kind: "static",
    canReject: (st) => st.zoneReserved.some((r) => r !== null),
    rejects: (c, h) => {
      const reserved = c.st.zoneReserved[c.st.hostZone[h]!];
      return reserved != null && !reserved.has(c.st.serverTenant[c.s]!);
    },
  },
  {
    code: "host-dedicated-to-other-tenant",
    kind: "static",
    canReject: (st) => st.hostDedicated.some((t) => t >= 0),
    rejects: (c, h) => {
      const d = c.st.hostDedicated[h]!;
      return d >= 0 && d !== c.st.serverTenant[c.s];
    },
  },
  {
    code: "serves-environment",
    kind: "static",
    canReject: (st) => st.anyHostedHost,
    rejects: (c, h) => {
      const e = c.st.hostEnv[h]!;
      return e >= 0 && c.envServedMark[e] === c.epoch;
    },
  },
  {
    code: "hosting-cycle",
    kind: "static",
    canReject: (st) => st.anyHostedHost,
    rejects: (c, h) => {
      const e = c.st.hostEnv[h]!;
      return e >= 0 && c.envReachMark[e] === c.epoch;
    },
  },
  { code: "replica-already-on-host", kind: "dynamic", rejects: (c, h) => c.hostMark[h] === c.epoch },
  {
    code: "spread-domain-full",
    kind: "dynamic",
    rejects: (c, h) => c.domainCount[c.st.hostDomain[h]!]! >= c.domainCap,
  },
  { code: "dedicated-isolation", kind: "dynamic", rejects: isolationRejects, canReject: (st) => st.serverDedicated.includes(1) },
  {
    code: "never-share",
    kind: "dynamic",
    canReject: (st) => st.neverShare.some((others) => others.length > 0),
    rejects: (c, h) => {
      const st = c.st;
      const others = st.neverShare[st.serverTenant[c.s]!]!;
      for (let i = 0; i < others.length; i++) if (st.hostTenantCount.has(h * st.nTenants + others[i]!)) return true;
      return false;
    },
  },
  {
    code: "stage-separation",
    kind: "dynamic",
    canReject: (st) => st.stageSeparation,
    rejects: (c, h) => {
      const st = c.st;
      if (!st.stageSeparation) return false;
      const stage = st.serverStage[c.s]!;
      if (stage === STAGE_PRODUCTION) return st.stagingCount[h]! > 0;
      return stage === STAGE_STAGING && st.productionCount[h]! > 0;
    },
  },
  {
    code: "insufficient-slots",
    kind: "dynamic",
    rejects: (c, h) => c.st.freeSlots[h]! < 1,
    canReject: (st) => st.capSlots.some((x) => x !== Infinity),
  },
  { code: "insufficient-cpu", kind: "dynamic", rejects: (c, h) => c.st.freeCpu[h]! < c.st.serverCpu[c.s]! },
  { code: "insufficient-memory", kind: "dynamic", rejects: (c, h) => c.st.freeMem[h]! < c.st.serverMem[c.s]! },
];

/** Index into REASON_CODES of the first filter the host fails, or -1 when it fits. */
export function firstFailure(c: ServerContext, h: number): number {
  const filters = c.active;
  for (let i = 0; i < filters.length; i++) if (filters[i]!.rejects(c, h)) return R[filters[i]!.code];
  return -1;
}

/** The hot-path check for hosts already known to pass the state and static filters. */
export function fitsDynamic(c: ServerContext, h: number): boolean {
  const filters = c.activeDynamic;
  for (let i = 0; i < filters.length; i++) if (filters[i]!.rejects(c, h)) return false;
  return true;
}
