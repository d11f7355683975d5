/**
 * Indexed binary min-heaps over host indices, one per host class, ordered by
 * (key[h], h). The key is a shared Float64Array; `pos` (also shared) lets a
 * host's key change in O(log n) and lets a host leave its heap.
 */
export class HostHeap {
  heap: Int32Array;
  size = 0;

  constructor(
    private readonly key: Float64Array,
    private readonly pos: Int32Array,
    capacity = 8,
  ) {
    this.heap = new Int32Array(Math.max(4, capacity));
  }

  /** The smallest host, or -1 when empty. */
  top(): number {
    return this.size > 0 ? this.heap[0]! : -1;
  }

  less(a: number, b: number): boolean {
    const ka = this.key[a]!;
    const kb = this.key[b]!;
    return ka < kb || (ka === kb && a < b);
  }

  push(h: number): void {
    if (this.size === this.heap.length) {
      const bigger = new Int32Array(this.heap.length * 2);
      bigger.set(this.heap);
      this.heap = bigger;
    }
    this.heap[this.size] = h;
    this.pos[h] = this.size;
    this.size++;
    this.up(this.size - 1);
  }

  remove(h: number): void {
    const i = this.pos[h]!;
    this.pos[h] = -1;
    const last = --this.size;
    if (i === last) return;
    const moved = this.heap[last]!;
    this.heap[i] = moved;
    this.pos[moved] = i;
    this.up(i);
    this.down(this.pos[moved]!);
  }

  /** Call after key[h] changed: h rises if it now beats its parent, else sinks. */
  update(h: number): void {
    const i = this.pos[h]!;
    if (i > 0) {
      const p = this.heap[(i - 1) >> 1]!;
      const kh = this.key[h]!;
      const kp = this.key[p]!;
      if (kh < kp || (kh === kp && h < p)) {
        this.up(i);
        return;
      }
    }
    this.down(i);
  }

  // up, down and the frontier compare inline (as less() does): they run for every replica placed, often before the JIT has.
  private up(i: number): void {
    const heap = this.heap;
    const key = this.key;
    const h = heap[i]!;
    const kh = key[h]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const ph = heap[p]!;
      const kp = key[ph]!;
      if (!(kh < kp || (kh === kp && h < ph))) break;
      heap[i] = ph;
      this.pos[ph] = i;
      i = p;
    }
    heap[i] = h;
    this.pos[h] = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const key = this.key;
    const n = this.size;
    const h = heap[i]!;
    const kh = key[h]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ch = heap[c]!;
      let kc = key[ch]!;
      if (c + 1 < n) {
        const rh = heap[c + 1]!;
        const kr = key[rh]!;
        if (kr < kc || (kr === kc && rh < ch)) {
          c++;
          ch = rh;
          kc = kr;
        }
      }
      if (!(kc < kh || (kc === kh && ch < h))) break;
      heap[i] = ch;
      this.pos[ch] = i;
      i = c;
    }
    heap[i] = h;
    this.pos[h] = i;
  }

  /**
   * Best-first walk: the smallest host for which `ok` holds, without mutating
   * the heap. `frontier` is caller-owned scratch (>= heap size). Cost is
   * O(k log k) for k rejected hosts; usually k is 0 or 1. `topRefused`: the
   * caller already asked about the top host (see top()) and `ok` refused it.
   */
  firstMatch(ok: (h: number) => boolean, frontier: Int32Array, topRefused = false): number {
    const heap = this.heap;
    const n = this.size;
    if (n === 0) return -1;
    const top = heap[0]!;
    if (!topRefused && ok(top)) return top;
    this.frontierSize = 0;
    if (1 < n) this.pushFrontier(frontier, 1);
    if (2 < n) this.pushFrontier(frontier, 2);
    while (this.frontierSize > 0) {
      const p = this.popFrontier(frontier);
      const h = heap[p]!;
      if (ok(h)) return h;
      const c = 2 * p + 1;
      if (c < n) this.pushFrontier(frontier, c);
      if (c + 1 < n) this.pushFrontier(frontier, c + 1);
    }
    return -1;
  }

  private frontierSize = 0;

  /** frontier is a heap of positions in `heap`, ordered like the hosts they hold. */
  private pushFrontier(frontier: Int32Array, p: number): void {
    const heap = this.heap;
    const hp = heap[p]!;
    let i = this.frontierSize++;
    while (i > 0) {
      const q = (i - 1) >> 1;
      if (!this.less(hp, heap[frontier[q]!]!)) break;
      frontier[i] = frontier[q]!;
      i = q;
    }
    frontier[i] = p;
  }

  private popFrontier(frontier: Int32Array): number {
    const heap = this.heap;
    const res = frontier[0]!;
    const m = --this.frontierSize;
    const last = frontier[m]!;
    const hl = heap[last]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= m) break;
      if (c + 1 < m && this.less(heap[frontier[c + 1]!]!, heap[frontier[c]!]!)) c++;
      if (!this.less(heap[frontier[c]!]!, hl)) break;
      frontier[i] = frontier[c]!;
      i = c;
    }
    frontier[i] = last;
    return res;
  }
}
