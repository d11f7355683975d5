import { FILTERS, type FilterPlugin } from "./filters";
import type { HostClassView } from "./host-groups";
import type { ClusterState } from "./state";

/**
 * Per-server scratch, prepared once before a server's replicas are placed:
 * O(1) marks (hosts already holding a replica: anti-affinity; allowed zones;
 * environments that would close a hosting cycle; host groups the group-level
 * filters accept) and the per-domain counts for failure-domain spread. Epoch
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
  readonly domainEligibleMark: Int32Array;
  /** Host groups of the allowed zones that every group-judged filter accepts (the rest are not marked). */
  readonly groupMark: Int32Array;
  domainCap = 0;
  eligibleDomains = 0;
  /** When true the host-state filter accepts cordoned hosts (keeping an existing replica). */
  keeping = false;
  /** FILTERS that can reject anything in this problem, in table order. */
  readonly active: readonly FilterPlugin[];
  /** Active filters a host group answers (zone, reservation, dedication). */
  readonly activeByGroup: readonly FilterPlugin[];
  /** Active filters with a class-level verdict, asked once per host class (collectEligible). */
  readonly activeByClass: readonly FilterPlugin[];
  /** Dynamic filters a host class answers exactly, asked per class again for each replica (its own replicas change them). */
  readonly activeDynamicByClass: readonly FilterPlugin[];
  /** Dynamic filters asked host by host, after the class-level ones passed. */
  readonly activeByHost: readonly FilterPlugin[];
  /** Filters asked host by host of a listed replica, after its host's state and group passed. */
  readonly activeForKept: readonly FilterPlugin[];

  constructor(readonly st: ClusterState) {
    this.hostMark = new Int32Array(st.nHosts);
    this.zoneMark = new Int32Array(st.zones.ids.length);
    this.envServedMark = new Int32Array(st.envs.ids.length);
    this.envReachMark = new Int32Array(st.envs.ids.length);
    this.domainCount = new Int32Array(st.domains.ids.length);
    this.domainEligibleMark = new Int32Array(st.domains.ids.length);
    this.groupMark = new Int32Array(st.groups.list.length);
    this.active = FILTERS.filter((f) => !f.canReject || f.canReject(st));
    this.activeByGroup = this.active.filter((f) => f.judges === "group");
    this.activeByClass = this.active.filter((f) => f.rejectsClass);
    this.activeDynamicByClass = this.active.filter((f) => f.kind === "dynamic" && f.judges === "class");
    this.activeByHost = this.active.filter((f) => f.kind === "dynamic" && !f.judges);
    this.activeForKept = this.active.filter((f) => f.kind !== "state" && f.judges !== "group");
  }

  prepare(s: number): void {
    const st = this.st;
    const e = ++this.epoch;
    this.s = s;
    this.keeping = false;
    this.domainCount.fill(0);
    const zonesFrom = st.zoneStart[s]!;
    const zonesTo = st.zoneStart[s + 1]!;
    for (let i = zonesFrom; i < zonesTo; i++) this.zoneMark[st.zoneList[i]!] = e;
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
    // Host groups, judged once each by the group-level filters; only the allowed zones' groups are
    // walked (the zone filter refuses every other one). Eligible failure domains, for spread: those
    // with a ready host in an accepted group (verify.ts spreadCap counts the same).
    const groups = st.groups;
    let eligible = 0;
    for (let i = zonesFrom; i < zonesTo; i++) {
      const z = st.zoneList[i]!;
      let listedBefore = false;
      for (let k = zonesFrom; k < i; k++) if (st.zoneList[k] === z) listedBefore = true;
      if (listedBefore) continue;
      for (let j = groups.zoneStart[z]!; j < groups.zoneStart[z + 1]!; j++) {
        const g = groups.inZone[j]!;
        const group = groups.list[g]!;
        if (this.rejectsClass(this.activeByGroup, group)) continue;
        this.groupMark[g] = e;
        if (group.ready === 0 || this.domainEligibleMark[group.domain] === e) continue;
        this.domainEligibleMark[group.domain] = e;
        eligible++;
      }
    }
    this.eligibleDomains = eligible;
    const replicas = st.serverReplicas[s]!;
    this.domainCap = st.serverSpreadRequired[s] && eligible > 0 ? Math.ceil(replicas / eligible) : replicas;
  }

  /** Whether one of `filters` refuses every host that looks like k. */
  rejectsClass(filters: readonly FilterPlugin[], k: HostClassView): boolean {
    for (let i = 0; i < filters.length; i++) if (filters[i]!.rejectsClass!(this, k)) return true;
    return false;
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
    return this.groupMark[this.st.groups.ofHost[h]!] === this.epoch && !this.rejectsHost(this.activeForKept, h);
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
