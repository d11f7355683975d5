import { fitsDynamic } from "./filters";
import type { HostClassView } from "./host-groups";
import { HostHeap } from "./host-heap";
import { type ScorePlugin, scorersFor, totalScore } from "./scorers";
import type { ServerContext } from "./server-context";
import type { ClusterState } from "./state";

/** Hosts taking new replicas that look alike to every class-level filter, in a heap by load. */
export class HostClass implements HostClassView {
  constructor(
    readonly zone: number,
    readonly domain: number,
    readonly dedicatedTenant: number,
    readonly dedicatedReplicaTenant: number,
    readonly environment: number,
    readonly stageMark: number,
    readonly heap: HostHeap,
    /** The host group of its hosts (st.groups), whose verdicts are remembered per server profile. */
    readonly group: number,
  ) {}
}

/**
 * Ready hosts grouped into classes that look alike to every class-level
 * filter: (zone, failure domain, dedicated tenant, tenant of its dedicated
 * replicas, environment, stage mark). A server asks the filter table about
 * each class of its allowed zones once, then only the top of the class heap
 * (least loaded for spread, most loaded for binpack) is usually examined:
 * O(classes) per replica instead of O(hosts). Full hosts leave their heap.
 */
export class HostClasses {
  readonly key: Float64Array;
  readonly pos: Int32Array;
  readonly hostClass: Int32Array;
  readonly list: HostClass[] = [];
  /** Classes of zone z, in creation order (a server walks only its zones' classes). */
  private readonly inZone: number[][];
  private readonly byKey = new Map<number, number>();
  /**
   * Per host state (HS_*): whether a host in it takes new replicas
   * (ctx.takesNewReplicas), -1 until a host in that state is asked about.
   * The state filters read only the host's state: one question per state,
   * not one per refresh (refresh runs for every replica placed).
   */
  private readonly takesNewInState = new Int8Array(4).fill(-1);
  /** Per host: the class key last computed and its class (-1: none yet). */
  private readonly lastKey: Float64Array;
  private readonly lastClass: Int32Array;
  private eligible = new Int32Array(16);
  /** The failure domain of each eligible class (refresh marks a domain's classes stale). */
  private eligibleDomain = new Int32Array(16);
  private nEligible = 0;
  /**
   * Per eligible class: its best host for ctx.s (-1: none) and that host's
   * score, kept across the server's replicas. Placing on h changes only h and
   * the counts of h's domain, so refresh(h) marks just the classes of that domain stale.
   */
  private candidate = new Int32Array(16);
  private candidateScore = new Float64Array(16);
  private candidateStale = new Uint8Array(16);
  private readonly frontier: Int32Array;
  private readonly ok: (h: number) => boolean;
  readonly scorers: readonly ScorePlugin[];
  private readonly tenantsPlusOne: number;
  private readonly envsPlusOne: number;

  constructor(
    readonly st: ClusterState,
    readonly ctx: ServerContext,
  ) {
    this.key = new Float64Array(st.nHosts);
    this.pos = new Int32Array(st.nHosts).fill(-1);
    this.hostClass = new Int32Array(st.nHosts).fill(-1);
    this.lastKey = new Float64Array(st.nHosts).fill(-1);
    this.lastClass = new Int32Array(st.nHosts).fill(-1);
    this.frontier = new Int32Array(st.nHosts + 1);
    this.inZone = st.zones.ids.map(() => []);
    this.ok = (h) => fitsDynamic(this.ctx, h);
    this.scorers = scorersFor(st.binpack);
    this.tenantsPlusOne = st.nTenants + 1;
    this.envsPlusOne = st.envs.ids.length + 1;
    this.fileEveryHost();
  }

  /**
   * refresh(h) for every host of a new instance, in host order (the same
   * classes, keys and heaps), without what only a change needs: no eligible
   * class to mark stale, no class to leave.
   */
  private fileEveryHost(): void {
    const st = this.st;
    const { hostState, nHosts, binpack } = st;
    const { key, hostClass, takesNewInState, list } = this;
    for (let h = 0; h < nHosts; h++) {
      const state = hostState[h]!;
      if (takesNewInState[state] === -1) takesNewInState[state] = this.ctx.takesNewReplicas(h) ? 1 : 0;
      const want = takesNewInState[state] === 1 && !st.isClosed(h) ? this.classFor(h) : -1;
      const u = st.utilisation(h);
      key[h] = binpack ? -u : u;
      if (want < 0) continue;
      list[want]!.heap.push(h);
      hostClass[h] = want;
    }
  }

  private classFor(h: number): number {
    const st = this.st;
    const dedicated = st.hostDedicated[h]!;
    const replicaTenant = st.dedicatedReplicaTenant(h);
    const env = st.hostEnv[h]!;
    const stage = st.stageMark(h);
    // Host groups number (zone, domain, dedicated tenant): the group index stands for all three.
    const k = ((st.groups.ofHost[h]! * this.tenantsPlusOne + replicaTenant + 1) * this.envsPlusOne + env + 1) * 3 + stage;
    // Most refreshes are load changes: the host keeps its class, so skip the map lookup.
    if (this.lastKey[h] === k) return this.lastClass[h]!;
    let c = this.byKey.get(k);
    if (c === undefined) {
      c = this.list.length;
      this.byKey.set(k, c);
      const zone = st.hostZone[h]!;
      const heap = new HostHeap(this.key, this.pos);
      this.list.push(new HostClass(zone, st.hostDomain[h]!, dedicated, replicaTenant, env, stage, heap, st.groups.ofHost[h]!));
      this.inZone[zone]!.push(c);
    }
    this.lastKey[h] = k;
    this.lastClass[h] = c;
    return c;
  }

  /** Re-files host h after its load, state or occupancy changed. */
  refresh(h: number): void {
    const st = this.st;
    const domain = st.hostDomain[h]!;
    const eligibleDomain = this.eligibleDomain;
    for (let i = 0; i < this.nEligible; i++) if (eligibleDomain[i] === domain) this.candidateStale[i] = 1;
    const state = st.hostState[h]!;
    if (this.takesNewInState[state] === -1) this.takesNewInState[state] = this.ctx.takesNewReplicas(h) ? 1 : 0;
    const want = this.takesNewInState[state] === 1 && !st.isClosed(h) ? this.classFor(h) : -1;
    const u = st.utilisation(h);
    this.key[h] = st.binpack ? -u : u;
    const cur = this.hostClass[h]!;
    if (cur === want) {
      if (want >= 0) this.list[want]!.heap.update(h);
      return;
    }
    if (cur >= 0) this.list[cur]!.heap.remove(h);
    if (want >= 0) this.list[want]!.heap.push(h);
    this.hostClass[h] = want;
  }

  /** The classes of ctx.s's allowed zones that every class-level filter accepts, asked once per class. */
  collectEligible(): void {
    const st = this.st;
    const c = this.ctx;
    const s = c.s;
    const filters = c.activeByClass;
    let n = 0;
    for (let i = st.zoneStart[s]!; i < st.zoneStart[s + 1]!; i++) {
      const z = st.zoneList[i]!;
      let listedBefore = false;
      for (let j = st.zoneStart[s]!; j < i; j++) if (st.zoneList[j] === z) listedBefore = true;
      if (listedBefore) continue;
      // Only the allowed zones' classes: the zone filter refuses every other one.
      const inZone = this.inZone[z]!;
      for (let j = 0; j < inZone.length; j++) {
        const k = inZone[j]!;
        const cls = this.list[k]!;
        // The group filters' verdict comes from the group (remembered across servers), then the other class-level filters are asked.
        if (cls.heap.size === 0 || !c.groupAcceptsServer(s, cls.group) || c.rejectsClass(filters, cls)) continue;
        if (n === this.eligible.length) this.growEligible();
        this.candidateStale[n] = 1;
        this.eligibleDomain[n] = cls.domain;
        this.eligible[n++] = k;
      }
    }
    this.nEligible = n;
  }

  private growEligible(): void {
    const n = this.eligible.length * 2;
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(from: T, to: T): T => (to.set(from), to);
    this.eligible = grow(this.eligible, new Int32Array(n));
    this.eligibleDomain = grow(this.eligibleDomain, new Int32Array(n));
    this.candidate = grow(this.candidate, new Int32Array(n));
    this.candidateScore = grow(this.candidateScore, new Float64Array(n));
    this.candidateStale = grow(this.candidateStale, new Uint8Array(n));
  }

  /** The best host of eligible class i for ctx.s, or -1; its score in candidateScore[i]. */
  private bestOfClass(i: number): number {
    const c = this.ctx;
    const cls = this.list[this.eligible[i]!]!;
    // The spread filter's verdict changes as this server's replicas land: asked again once the domain's count moved.
    if (c.rejectsClass(c.activeDynamicByClass, cls)) return -1;
    // The top host usually fits: asked directly, the heap walk only when it does not.
    const top = cls.heap.top();
    if (top < 0) return -1;
    const h = fitsDynamic(c, top) ? top : cls.heap.firstMatch(this.ok, this.frontier, true);
    if (h >= 0) this.candidateScore[i] = totalScore(this.scorers, c, h);
    return h;
  }

  /** Best host for the next replica of ctx.s, or -1. */
  select(): number {
    let best = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < this.nEligible; i++) {
      if (this.candidateStale[i] === 1) {
        this.candidate[i] = this.bestOfClass(i);
        this.candidateStale[i] = 0;
      }
      const h = this.candidate[i]!;
      if (h < 0) continue;
      const score = this.candidateScore[i]!;
      if (score > bestScore || (score === bestScore && h < best)) {
        best = h;
        bestScore = score;
      }
    }
    return best;
  }
}
