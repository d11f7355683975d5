import { fitsDynamic, type ServerContext } from "./filters";
import { HostHeap } from "./host-heap";
import { type ScorePlugin, scorersFor, totalScore } from "./scorers";
import { type ClusterState, HS_READY, STAGE_PRODUCTION, STAGE_STAGING } from "./state";

/**
 * Ready hosts grouped into classes that look alike to every static filter:
 * (zone, failure domain, exclusive tenant, environment, stage mark). A server
 * checks each class once, then only the top of the class heap (least loaded
 * for spread, most loaded for binpack) is usually examined: O(classes) per
 * replica instead of O(hosts). Full hosts leave their heap.
 */
export class HostClasses {
  readonly key: Float64Array;
  readonly pos: Int32Array;
  readonly hostClass: Int32Array;
  readonly heaps: HostHeap[] = [];
  readonly classZone: number[] = [];
  readonly classDomain: number[] = [];
  readonly classExclusiveTenant: number[] = [];
  readonly classEnvironment: number[] = [];
  readonly classStageMark: number[] = [];
  private readonly byKey = new Map<number, number>();
  /** Per host: the class key last computed and its class (-1: none yet). */
  private readonly lastKey: Float64Array;
  private readonly lastClass: Int32Array;
  private eligible = new Int32Array(16);
  private nEligible = 0;
  private readonly frontier: Int32Array;
  private readonly ok: (h: number) => boolean;
  readonly scorers: readonly ScorePlugin[];

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
    this.ok = (h) => fitsDynamic(this.ctx, h);
    this.scorers = scorersFor(st.binpack);
    for (let h = 0; h < st.nHosts; h++) this.refresh(h);
  }

  private classFor(h: number): number {
    const st = this.st;
    const excl = st.exclusiveTenant(h);
    const env = st.hostEnv[h]!;
    const stage = st.stageMark(h);
    const k =
      (((st.hostZone[h]! * st.domains.ids.length + st.hostDomain[h]!) * (st.nTenants + 1) + excl + 1) * (st.envs.ids.length + 1) +
        env +
        1) *
        3 +
      stage;
    // Most refreshes are load changes: the host keeps its class, so skip the map lookup.
    if (this.lastKey[h] === k) return this.lastClass[h]!;
    let c = this.byKey.get(k);
    if (c === undefined) {
      c = this.heaps.length;
      this.byKey.set(k, c);
      this.heaps.push(new HostHeap(this.key, this.pos));
      this.classZone.push(st.hostZone[h]!);
      this.classDomain.push(st.hostDomain[h]!);
      this.classExclusiveTenant.push(excl);
      this.classEnvironment.push(env);
      this.classStageMark.push(stage);
    }
    this.lastKey[h] = k;
    this.lastClass[h] = c;
    return c;
  }

  /** Re-files host h after its load, state or occupancy changed. */
  refresh(h: number): void {
    const st = this.st;
    const want = st.hostState[h] === HS_READY && !st.isClosed(h) ? this.classFor(h) : -1;
    const u = st.utilisation(h);
    this.key[h] = st.binpack ? -u : u;
    const cur = this.hostClass[h]!;
    if (cur === want) {
      if (want >= 0) this.heaps[want]!.update(h);
      return;
    }
    if (cur >= 0) this.heaps[cur]!.remove(h);
    if (want >= 0) this.heaps[want]!.push(h);
    this.hostClass[h] = want;
  }

  /** Static filters, once per class, for the server prepared in ctx. */
  collectEligible(): void {
    const st = this.st;
    const c = this.ctx;
    const s = c.s;
    const t = st.serverTenant[s]!;
    const stage = st.serverStage[s]!;
    let n = 0;
    for (let k = 0; k < this.heaps.length; k++) {
      if (this.heaps[k]!.size === 0) continue;
      const z = this.classZone[k]!;
      if (c.zoneMark[z] !== c.epoch) continue;
      const reserved = st.zoneReserved[z];
      if (reserved && !reserved.has(t)) continue;
      const excl = this.classExclusiveTenant[k]!;
      if (excl >= 0 && excl !== t) continue;
      const env = this.classEnvironment[k]!;
      if (env >= 0 && (c.envServedMark[env] === c.epoch || c.envReachMark[env] === c.epoch)) continue;
      const cs = this.classStageMark[k]!;
      if (stage === STAGE_PRODUCTION && cs === STAGE_STAGING) continue;
      if (stage === STAGE_STAGING && cs === STAGE_PRODUCTION) continue;
      if (n === this.eligible.length) {
        const bigger = new Int32Array(n * 2);
        bigger.set(this.eligible);
        this.eligible = bigger;
      }
      this.eligible[n++] = k;
    }
    this.nEligible = n;
  }

  /** Best host for the next replica of ctx.s, or -1. */
  select(): number {
    const c = this.ctx;
    let best = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < this.nEligible; i++) {
      const k = this.eligible[i]!;
      if (c.domainCount[this.classDomain[k]!]! >= c.domainCap) continue;
      const h = this.heaps[k]!.firstMatch(this.ok, this.frontier);
      if (h < 0) continue;
      const score = totalScore(this.scorers, c, h);
      if (score > bestScore || (score === bestScore && h < best)) {
        best = h;
        bestScore = score;
      }
    }
    return best;
  }
}
