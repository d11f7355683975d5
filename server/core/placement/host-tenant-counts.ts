/**
 * Replicas per (host, tenant), for the isolation and never-share filters: an
 * open-addressing hash table on typed arrays (linear probing, backward-shift
 * deletion). Sized once for the most pairs there can be (one per replica), so
 * it never grows and assigning a replica allocates nothing.
 */
export class HostTenantCounts {
  private readonly hosts: Int32Array;
  private readonly tenants: Int32Array;
  /** 0: empty slot. */
  private readonly counts: Int32Array;
  private readonly mask: number;
  /** Hosts whose pairs are only listed (startFrom), not yet in the table: 1. */
  private deferred: Uint8Array | null = null;
  private firstOnHost: Int32Array | null = null;
  private nextOnHost: Int32Array | null = null;
  private tenantOf: Int32Array | null = null;

  constructor(maxPairs: number) {
    let capacity = 16;
    while (capacity < 2 * maxPairs) capacity *= 2;
    this.hosts = new Int32Array(capacity);
    this.tenants = new Int32Array(capacity);
    this.counts = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  /** The slot holding (h, t), or the empty slot where it would go (probing from its home slot). */
  private slotOf(h: number, t: number): number {
    let i = (Math.imul(h, 0x9e3779b1) ^ Math.imul(t + 1, 0x85ebca77)) & this.mask;
    while (this.counts[i] !== 0 && (this.hosts[i] !== h || this.tenants[i] !== t)) i = (i + 1) & this.mask;
    return i;
  }

  /**
   * Starts from the given replicas, on an empty table: host h's replicas are
   * firstOnHost[h], then nextOnHost[rep] after each (-1 ends the list), of
   * tenant tenantOf[rep]. They are not inserted: a host's pairs go into the
   * table when it first changes (add or remove); until then `has` walks its
   * list. Keeping thousands of listed replicas then costs no probing for
   * hosts nothing moves on.
   */
  startFrom(firstOnHost: Int32Array, nextOnHost: Int32Array, tenantOf: Int32Array): void {
    this.deferred = new Uint8Array(firstOnHost.length).fill(1);
    this.firstOnHost = firstOnHost;
    this.nextOnHost = nextOnHost;
    this.tenantOf = tenantOf;
  }

  private insertListed(h: number): void {
    this.deferred![h] = 0;
    for (let rep = this.firstOnHost![h]!; rep >= 0; rep = this.nextOnHost![rep]!) this.add(h, this.tenantOf![rep]!);
  }

  has(h: number, t: number): boolean {
    if (this.deferred !== null && this.deferred[h] === 1) {
      for (let rep = this.firstOnHost![h]!; rep >= 0; rep = this.nextOnHost![rep]!) if (this.tenantOf![rep] === t) return true;
      return false;
    }
    return this.counts[this.slotOf(h, t)] !== 0;
  }

  /** One more replica of tenant t on host h; returns how many there were before. */
  add(h: number, t: number): number {
    if (this.deferred !== null && this.deferred[h] === 1) this.insertListed(h);
    const i = this.slotOf(h, t);
    const before = this.counts[i]!;
    if (before === 0) {
      this.hosts[i] = h;
      this.tenants[i] = t;
    }
    this.counts[i] = before + 1;
    return before;
  }

  /** One replica fewer of tenant t on host h (which must hold one); returns how many are left. */
  remove(h: number, t: number): number {
    if (this.deferred !== null && this.deferred[h] === 1) this.insertListed(h);
    let i = this.slotOf(h, t);
    const left = this.counts[i]! - 1;
    this.counts[i] = left;
    if (left > 0) return left;
    // Backward-shift deletion: pull later entries of the probe run into the hole, so lookups never need tombstones.
    for (let j = (i + 1) & this.mask; this.counts[j] !== 0; j = (j + 1) & this.mask) {
      const home = (Math.imul(this.hosts[j]!, 0x9e3779b1) ^ Math.imul(this.tenants[j]! + 1, 0x85ebca77)) & this.mask;
      // Entry j may move to i only if i lies cyclically within [home, j).
      if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
        this.hosts[i] = this.hosts[j]!;
        this.tenants[i] = this.tenants[j]!;
        this.counts[i] = this.counts[j]!;
        this.counts[j] = 0;
        i = j;
      }
    }
    return 0;
  }
}
