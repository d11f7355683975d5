import type { HostClassView } from "./host-groups";
import { R, type ReasonCode } from "./reasons";
import type { ServerContext } from "./server-context";
import { type ClusterState, HS_CORDONED, HS_DOWN, HS_DRAINING, STAGE_PRODUCTION, STAGE_STAGING } from "./state";

export interface FilterPlugin {
  code: ReasonCode;
  /** state: the host's state; static: what the host is (zone, dedication, environment); dynamic: what already runs there. */
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
const domainFull = (c: ServerContext, domain: number) => c.domainCount[domain]! >= c.domainCap;
const stageClash = (c: ServerContext, production: boolean, staging: boolean): boolean => {
  if (!c.st.stageSeparation) return false;
  const stage = c.st.serverStage[c.s]!;
  return stage === STAGE_PRODUCTION ? staging : stage === STAGE_STAGING && production;
};

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
  { code: "replica-already-on-host", kind: "dynamic", rejects: (c, h) => c.hostMark[h] === c.epoch },
  {
    code: "spread-domain-full",
    kind: "dynamic",
    judges: "class",
    rejects: (c, h) => domainFull(c, c.st.hostDomain[h]!),
    rejectsClass: (c, k) => domainFull(c, k.domain),
  },
  {
    code: "dedicated-isolation",
    kind: "dynamic",
    canReject: (st) => st.serverDedicated.includes(1),
    rejects: isolationRejects,
    // Hosts holding a dedicated replica of another tenant refuse everyone else.
    rejectsClass: (c, k) => dedicatedToOther(c, k.dedicatedReplicaTenant),
  },
  {
    code: "never-share",
    kind: "dynamic",
    canReject: (st) => st.neverShare.some((others) => others.length > 0),
    rejects: (c, h) => {
      const st = c.st;
      const others = st.neverShare[st.serverTenant[c.s]!]!;
      for (let i = 0; i < others.length; i++) if (st.hostTenants.has(h, others[i]!)) return true;
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

/** The hot-path check for hosts of a class the class-level filters accepted: the dynamic filters asked host by host. */
export function fitsDynamic(c: ServerContext, h: number): boolean {
  const filters = c.activeByHost;
  for (let i = 0; i < filters.length; i++) if (filters[i]!.rejects(c, h)) return false;
  return true;
}
