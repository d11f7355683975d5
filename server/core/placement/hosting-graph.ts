/**
 * The hosted-by graph over environments: an edge A -> B means "a state server
 * serving A runs on a machine of B". Placing a replica of server S on a
 * machine of E adds A -> E for every A that S serves; that closes a cycle iff
 * E already reaches one of those A. So before placing S we mark, once, every
 * environment that reaches S's environments (a reverse BFS), and the per-host
 * check is one array read.
 */
export class HostingGraph {
  /** in-edges: target -> (source -> multiplicity), created on a target's first edge (most environments never get one). */
  private readonly incoming = new Map<number, Map<number, number>>();
  private queue: Int32Array | null = null;

  constructor(readonly size: number) {}

  get edgeCount(): number {
    let n = 0;
    for (const m of this.incoming.values()) n += m.size;
    return n;
  }

  addEdge(from: number, to: number, times = 1): void {
    let m = this.incoming.get(to);
    if (!m) this.incoming.set(to, (m = new Map<number, number>()));
    m.set(from, (m.get(from) ?? 0) + times);
  }

  removeEdge(from: number, to: number, times = 1): void {
    const m = this.incoming.get(to);
    if (!m) return;
    const left = (m.get(from) ?? 0) - times;
    if (left > 0) m.set(from, left);
    else m.delete(from);
  }

  /** Marks mark[v] = stamp for every v that reaches one of targets[from..to) (targets included). */
  markAncestors(targets: ArrayLike<number>, from: number, to: number, mark: Int32Array, stamp: number): void {
    const q = (this.queue ??= new Int32Array(Math.max(1, this.size)));
    let head = 0;
    let tail = 0;
    for (let i = from; i < to; i++) {
      const t = targets[i]!;
      if (mark[t] !== stamp) {
        mark[t] = stamp;
        q[tail++] = t;
      }
    }
    while (head < tail) {
      const v = q[head++]!;
      const into = this.incoming.get(v);
      if (!into) continue;
      for (const u of into.keys()) {
        if (mark[u] !== stamp) {
          mark[u] = stamp;
          q[tail++] = u;
        }
      }
    }
  }
}

/** Returns one cycle (as environment ids) in a plain edge list, or null. Used by checkers. */
export function findCycle(edges: Iterable<[string, string]>): string[] | null {
  const out = new Map<string, string[]>();
  for (const [a, b] of edges) {
    if (!out.has(a)) out.set(a, []);
    out.get(a)!.push(b);
  }
  const color = new Map<string, number>();
  const parent = new Map<string, string>();
  for (const start of [...out.keys()].sort()) {
    if (color.get(start)) continue;
    const stack: [string, number][] = [[start, 0]];
    color.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const next = out.get(top[0]) ?? [];
      if (top[1] >= next.length) {
        color.set(top[0], 2);
        stack.pop();
        continue;
      }
      const w = next[top[1]++]!;
      const c = color.get(w) ?? 0;
      if (c === 1) {
        const back: string[] = [];
        for (let v = top[0]; v !== w; v = parent.get(v)!) back.push(v);
        return [w, ...back.reverse()];
      }
      if (c === 0) {
        color.set(w, 1);
        parent.set(w, top[0]);
        stack.push([w, 0]);
      }
    }
  }
  return null;
}
