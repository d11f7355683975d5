/**
 * The host-filling search of binpack's bin-centric pass (vector-pack.ts):
 * which waiting shapes to put on one host so it is fullest.
 */
/** Search nodes per fill of one host, and groups looked at over all nodes: bound the work whatever the number of distinct shapes. */
const NODE_BUDGET = 300;
const STEP_BUDGET = 50_000;

/**
 * The multiset of groups (one server each, at most `avail[k]` from group k)
 * that fills the host most: the largest sum of cpu, memory and slot use,
 * each normalised by the host's capacity. Depth-first over groups in their fixed
 * order, within NODE_BUDGET nodes and STEP_BUDGET steps, so the first answer it finds is
 * first-fit-decreasing and later ones can only be fuller.
 */
export class FillSearch {
  private nodes = 0;
  private steps = 0;
  private bestValue = 0;
  private best: number[] = [];
  private readonly current: number[] = [];
  private readonly taken: Int32Array;
  /** Groups worth trying on this host (some available and small enough), in group order. */
  private readonly candidates: Int32Array;
  private nCandidates = 0;

  constructor(
    private readonly groups: readonly { cpu: number; mem: number }[],
    private readonly avail: Int32Array,
    private readonly weights: Float64Array,
  ) {
    this.taken = new Int32Array(groups.length);
    this.candidates = new Int32Array(groups.length);
  }

  run(freeCpu: number, freeMem: number, freeSlots: number, capCpu: number, capMem: number, capSlots: number): number[] {
    this.nodes = 0;
    this.steps = 0;
    this.bestValue = 0;
    this.best = [];
    this.capCpu = capCpu;
    this.capMem = capMem;
    this.slotShare = capSlots === Infinity ? 0 : 1 / capSlots;
    let n = 0;
    for (let k = 0; k < this.groups.length; k++) {
      const g = this.groups[k]!;
      if (this.avail[k]! > 0 && g.cpu <= freeCpu && g.mem <= freeMem) this.candidates[n++] = k;
    }
    this.nCandidates = n;
    this.visit(0, freeCpu, freeMem, freeSlots, 0);
    return this.best;
  }

  /** The last run looked at every combination (it did not stop at NODE_BUDGET). */
  get complete(): boolean {
    return this.nodes <= NODE_BUDGET && this.steps <= STEP_BUDGET;
  }

  private capCpu = 1;
  private capMem = 1;
  private slotShare = 0;

  /** `from`: position in candidates (a group may be taken again, so no combination is counted twice). */
  private visit(from: number, freeCpu: number, freeMem: number, freeSlots: number, value: number): void {
    if (++this.nodes > NODE_BUDGET) return;
    if (value > this.bestValue + 1e-12) {
      this.bestValue = value;
      this.best = this.current.slice();
    }
    if (freeSlots < 1) return;
    for (let i = from; i < this.nCandidates; i++) {
      if (++this.steps > STEP_BUDGET) return;
      const k = this.candidates[i]!;
      const g = this.groups[k]!;
      if (this.taken[k]! >= this.avail[k]! || g.cpu > freeCpu || g.mem > freeMem) continue;
      this.taken[k]!++;
      this.current.push(k);
      this.visit(
        i,
        freeCpu - g.cpu,
        freeMem - g.mem,
        freeSlots - 1,
        value + (this.weights[0]! * g.cpu) / this.capCpu + (this.weights[1]! * g.mem) / this.capMem + this.weights[2]! * this.slotShare,
      );
      this.current.pop();
      this.taken[k]!--;
      if (this.nodes > NODE_BUDGET || this.steps > STEP_BUDGET) return;
    }
  }
}
