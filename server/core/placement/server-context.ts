import { FILTERS, type FilterPlugin } from "./filters";
import type { HostClassView } from "./host-groups";
import type { ClusterState } from "./state";

/** Largest (zones x tenants) table of memoized spread counts (4 bytes each); beyond it every server counts afresh. */
const MAX_MEMO = 1 << 20;

/**
 * Per-server scratch, prepared once before a server's replicas are placed:
 * O(1) marks (hosts already holding a replica: anti-affinity; allowed zones;
 * environments that would close a hosting cycle; host groups the group-level
 * filters were asked about) and the per-domain counts for failure-domain spread. Epoch
 * stamps mean nothing is ever cleared.
 */
export class ServerContext {
  s = -1;
  epoch = 0;
  readonly hostMark: Int32Array;
  readonly zoneMark: Int32Array;
  readonly envServedMark: Int32Array;
  readonly envReachMark: Int32Array;
  readonly domainCount: Int32Array;
  /** Domains whose count noteReplica raised since the last prepare (the only non-zero counts). */
  private notedDomains = new Int32Array(8);
  private nNotedDomains = 0;
  readonly domainEligibleMark: Int32Array;
  /** Host groups asked about for ctx.s (stamped), and whether every group-judged filter accepts them. */
  private readonly groupAskedMark: Int32Array;
  private readonly groupAccepted: Uint8Array;
  /** groupAcceptsServer's memo per (zoneProfile, group): 0 not asked, 1 accepted, 2 refused; empty when too large. */
  readonly groupVerdicts: Uint8Array;
  /** 1 + eligible spread domains per zoneProfile (0: not counted yet), for servers of one zone; valid for one readiness version. */
  private readonly eligibleDomainsMemo: Int32Array;
  private memoReadyVersion = 0;
  domainCap = 0;
  /** When true the host-state filter accepts cordoned hosts (keeping an existing replica). */
  keeping = false;
  /**
   * While keep-listed asks the filters' refusesKept: the servers two of whose
   * kept replicas share a failure domain, as its one pass found them; null:
   * the filters find them (crowdedKeptServers).
   */
  crowdedKept: readonly number[] | null = null;
  /** FILTERS that can reject anything in this problem, in table order. */
  readonly active: readonly FilterPlugin[];
  /** Active filters a host group answers (zone, reservation, dedication). */
  readonly activeByGroup: readonly FilterPlugin[];
  /**
   * Active filters with a class-level verdict but the group-judged ones,
   * asked once per host class (collectEligible; the class's group answers
   * the others, remembered across servers: groupAcceptsServer).
   */
  readonly activeByClass: readonly FilterPlugin[];
  /** Dynamic filters a host class answers exactly, asked per class again for each replica (its own replicas change them). */
  readonly activeDynamicByClass: readonly FilterPlugin[];
  /** Dynamic filters asked host by host, after the class-level ones passed. */
  readonly activeByHost: readonly FilterPlugin[];
  /** Filters asked host by host of a listed replica, after its host's state and group passed. */
  readonly activeForKept: readonly FilterPlugin[];
  /** The host-state filters (cordoned, draining, down). */
  readonly activeByState: readonly FilterPlugin[];

  constructor(readonly st: ClusterState) {
    this.hostMark = new Int32Array(st.nHosts);
    this.zoneMark = new Int32Array(st.zones.ids.length);
    this.envServedMark = new Int32Array(st.envs.ids.length);
    this.envReachMark = new Int32Array(st.envs.ids.length);
    this.domainCount = new Int32Array(st.domains.ids.length);
    this.domainEligibleMark = new Int32Array(st.domains.ids.length);
    this.groupAskedMark = new Int32Array(st.groups.list.length);
    const profiles = st.zones.ids.length * (st.nTenants + 1);
    this.eligibleDomainsMemo = new Int32Array(profiles <= MAX_MEMO ? profiles : 0);
    this.groupAccepted = new Uint8Array(st.groups.list.length);
    const verdicts = profiles * st.groups.list.length;
    this.groupVerdicts = new Uint8Array(verdicts <= MAX_MEMO ? verdicts : 0);
    this.active = FILTERS.filter((f) => !f.canReject || f.canReject(st));
    this.activeByGroup = this.active.filter((f) => f.judges === "group");
    this.activeByClass = this.active.filter((f) => f.rejectsClass && f.judges !== "group");
    this.activeDynamicByClass = this.active.filter((f) => f.kind === "dynamic" && f.judges === "class");
    this.activeByHost = this.active.filter((f) => f.kind === "dynamic" && !f.judges);
    this.activeForKept = this.active.filter((f) => f.kind !== "state" && f.judges !== "group");
    this.activeByState = this.active.filter((f) => f.kind === "state");
  }

  prepare(s: number): void {
    const st = this.st;
    this.prepareGroups(s);
    const e = this.epoch;
    // Only domains noted since the last prepare hold counts: zero those (a fill per server costs more, early on).
    for (let i = 0; i < this.nNotedDomains; i++) this.domainCount[this.notedDomains[i]!] = 0;
    this.nNotedDomains = 0;
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
  }

  /**
   * What the group filters and the spread cap read for server s (a new
   * epoch, its zones, domainCap), without noting its replicas: enough for
   * groupAccepts. prepare does this and more.
   */
  prepareGroups(s: number): void {
    const st = this.st;
    const e = ++this.epoch;
    this.s = s;
    this.keeping = false;
    for (let i = st.zoneStart[s]!; i < st.zoneStart[s + 1]!; i++) this.zoneMark[st.zoneList[i]!] = e;
    const replicas = st.serverReplicas[s]!;
    this.domainCap = st.serverSpreadRequired[s] ? this.requiredSpreadCap(s, replicas) : replicas;
  }

  /**
   * Required spread: at most ceil(replicas / eligible domains) per domain,
   * where a domain is eligible with a ready host in a group this server's
   * group-level filters accept (verify.ts spreadCap counts the same). Servers
   * of one zone and group profile share the count, until a host's readiness changes.
   */
  private requiredSpreadCap(s: number, replicas: number): number {
    const st = this.st;
    const zonesFrom = st.zoneStart[s]!;
    const zonesTo = st.zoneStart[s + 1]!;
    const memo = this.eligibleDomainsMemo;
    const memoKey = zonesTo - zonesFrom === 1 && memo.length > 0 ? this.zoneProfile(s) : -1;
    if (this.memoReadyVersion !== st.readyVersion) {
      memo.fill(0);
      this.memoReadyVersion = st.readyVersion;
    }
    let eligible = memoKey >= 0 ? memo[memoKey]! - 1 : -1;
    if (eligible < 0) {
      eligible = this.countEligibleDomains(zonesFrom, zonesTo);
      if (memoKey >= 0) memo[memoKey] = eligible + 1;
    }
    return eligible > 0 ? Math.ceil(replicas / eligible) : replicas;
  }

  /** Walks only the allowed zones' groups (the zone filter refuses every other one). */
  private countEligibleDomains(zonesFrom: number, zonesTo: number): number {
    const st = this.st;
    const groups = st.groups;
    const e = this.epoch;
    let eligible = 0;
    for (let i = zonesFrom; i < zonesTo; i++) {
      const z = st.zoneList[i]!;
      let listedBefore = false;
      for (let k = zonesFrom; k < i; k++) if (st.zoneList[k] === z) listedBefore = true;
      if (listedBefore) continue;
      for (let j = groups.zoneStart[z]!; j < groups.zoneStart[z + 1]!; j++) {
        const g = groups.inZone[j]!;
        const group = groups.list[g]!;
        if (group.ready === 0 || this.domainEligibleMark[group.domain] === e || !this.groupAccepts(g)) continue;
        this.domainEligibleMark[group.domain] = e;
        eligible++;
      }
    }
    return eligible;
  }

  /** Whether every group-judged filter accepts host group g for ctx.s (asked once per group and server). */
  groupAccepts(g: number): boolean {
    if (this.groupAskedMark[g] !== this.epoch) {
      this.groupAskedMark[g] = this.epoch;
      this.groupAccepted[g] = this.rejectsClass(this.activeByGroup, this.st.groups.list[g]!) ? 0 : 1;
    }
    return this.groupAccepted[g] === 1;
  }

  /**
   * Where server s's verdicts start in groupVerdicts (add the group), or -1
   * when they are not remembered. The group filters read only a server's
   * zones and tenant, so servers of one zone share them per zoneProfile.
   */
  groupVerdictBase(s: number): number {
    const st = this.st;
    if (st.zoneStart[s + 1]! - st.zoneStart[s]! !== 1 || this.groupVerdicts.length === 0) return -1;
    return this.zoneProfile(s) * st.groups.list.length;
  }

  /** (zone, group profile of the tenant) of a server of one zone: what its group verdicts depend on. */
  private zoneProfile(s: number): number {
    const st = this.st;
    return st.zoneList[st.zoneStart[s]!]! * (st.nTenants + 1) + st.groupProfile[st.serverTenant[s]!]!;
  }

  /** groupAccepts for server s whatever ctx is prepared for (it prepares ctx for s when it must ask), remembered per groupVerdictBase. */
  groupAcceptsServer(s: number, g: number): boolean {
    const base = this.groupVerdictBase(s);
    if (base >= 0 && this.groupVerdicts[base + g] !== 0) return this.groupVerdicts[base + g] === 1;
    if (this.s !== s) this.prepareGroups(s);
    const accepted = this.groupAccepts(g);
    if (base >= 0) this.groupVerdicts[base + g] = accepted ? 1 : 2;
    return accepted;
  }

  /** Whether one of `filters` refuses every host that looks like k. */
  rejectsClass(filters: readonly FilterPlugin[], k: HostClassView): boolean {
    for (let i = 0; i < filters.length; i++) if (filters[i]!.rejectsClass!(this, k)) return true;
    return false;
  }

  /**
   * Whether h's state lets it take new replicas: no state filter refuses it,
   * asked as for a new replica (a cordoned host keeps its replicas but takes
   * none), whatever `keeping` says now. The state filters read only h.
   */
  takesNewReplicas(h: number): boolean {
    const keeping = this.keeping;
    this.keeping = false;
    const refused = this.rejectsHost(this.activeByState, h);
    this.keeping = keeping;
    return !refused;
  }

  /** Whether one of `filters` refuses host h. */
  rejectsHost(filters: readonly FilterPlugin[], h: number): boolean {
    for (let i = 0; i < filters.length; i++) if (filters[i]!.rejects(this, h)) return true;
    return false;
  }

  /**
   * Whether a listed replica of ctx.s may stay on h, given a host whose state
   * keeps replicas: its group passed the group-level filters in prepare, the
   * other filters are asked of h itself. Same verdict as firstFailure < 0 with `keeping`.
   */
  keepsOn(h: number): boolean {
    return this.groupAccepts(this.st.groups.ofHost[h]!) && !this.rejectsHost(this.activeForKept, h);
  }

  noteReplica(h: number): void {
    this.hostMark[h] = this.epoch;
    const d = this.st.hostDomain[h]!;
    this.domainCount[d]!++;
    if (this.nNotedDomains === this.notedDomains.length) {
      const bigger = new Int32Array(this.nNotedDomains * 2);
      bigger.set(this.notedDomains);
      this.notedDomains = bigger;
    }
    this.notedDomains[this.nNotedDomains++] = d;
  }

  forgetReplica(h: number): void {
    this.hostMark[h] = 0;
    this.domainCount[this.st.hostDomain[h]!]!--;
  }
}
