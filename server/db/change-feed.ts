import pg from "pg";
import type { Logger } from "pino";

const CHANGE_CHANNEL = "statehouse_change";
const PING_EVERY_MS = 5000;
const PING_TIMEOUT_MS = 2000;

/**
 * Which tables changed, as Postgres tells it: one LISTEN connection per app
 * process on the channel the change_feed migration's triggers NOTIFY (one
 * message per table per committed transaction). Each table has a generation
 * number that a notification bumps; a cached read remembers the generations of
 * the tables it read, taken before reading, and is used again only while they
 * are unchanged (a change during the read leaves it stale at once, never
 * wrong). While the connection is down (and until it is back) nothing is
 * served from cache: `stamp` answers null; a reconnect starts a new epoch, so
 * whatever was cached before the gap is dropped.
 */
export class ChangeFeed implements Stamper {
  private readonly generations = new Map<string, number>();
  private epoch = 0;
  private client: pg.Client | null = null;
  private listening = false;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private ping: NodeJS.Timeout | undefined;
  private readonly waiters = new Set<{ table: string; resolve: () => void }>();

  constructor(
    private readonly url: string,
    private readonly log?: Logger,
  ) {}

  /** Connects and LISTENs; resolves once listening (retries in the background when the first attempt fails). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect().catch((err: unknown) => this.scheduleReconnect(err));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.retry = undefined;
    clearInterval(this.ping);
    this.listening = false;
    const client = this.client;
    // Ends quietly: "end" finds this.client already null.
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** The current generations of `tables` (a cache key part), or null while not listening: do not cache. */
  stamp(tables: readonly string[]): string | null {
    if (!this.listening) return null;
    let s = String(this.epoch);
    for (const t of tables) s += `.${this.generations.get(t) ?? 0}`;
    return s;
  }

  /** Drops every cached read of this process (after a write through this process, for read-your-writes). */
  invalidateAll(): void {
    this.epoch++;
  }

  /** Resolves at the next notification for `table` (tests). */
  nextChange(table: string): Promise<void> {
    return new Promise((resolve) => this.waiters.add({ table, resolve }));
  }

  private changed(table: string) {
    this.generations.set(table, (this.generations.get(table) ?? 0) + 1);
    for (const w of this.waiters) {
      if (w.table !== table) continue;
      this.waiters.delete(w);
      w.resolve();
    }
  }

  private async connect() {
    const client = new pg.Client({ connectionString: this.url, application_name: "statehouse-change-feed", keepAlive: true });
    const lost = (err?: Error) => {
      if (this.client !== client) return;
      clearInterval(this.ping);
      this.client = null;
      this.listening = false;
      this.epoch++;
      client.end().catch(() => undefined);
      if (!this.stopped) this.scheduleReconnect(err);
    };
    client.on("error", lost);
    client.on("end", () => lost());
    client.on("notification", (n) => {
      if (n.channel === CHANGE_CHANNEL && n.payload) this.changed(n.payload);
    });
    this.client = client;
    await client.connect();
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    if (this.client !== client) return;
    // Anything cached before this point may have missed a notification.
    this.epoch++;
    this.listening = true;
    // A connection that died silently (no FIN, no error) would leave the cache trusting a
    // feed that hears nothing: a query every few seconds finds out, bounding that time.
    this.ping = setInterval(() => {
      const timeout = setTimeout(() => lost(new Error("no answer to the change feed's ping")), PING_TIMEOUT_MS);
      client.query("SELECT 1").then(
        () => clearTimeout(timeout),
        (err: Error) => {
          clearTimeout(timeout);
          lost(err);
        },
      );
    }, PING_EVERY_MS);
    this.ping.unref();
    this.log?.info("change feed listening");
  }

  private scheduleReconnect(err: unknown) {
    this.listening = false;
    if (this.stopped || this.retry) return;
    this.log?.warn({ detail: (err as Error | undefined)?.message }, "change feed down: reads are not cached until it is back");
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.stopped) this.connect().catch((e: unknown) => this.scheduleReconnect(e));
    }, 1000);
    this.retry.unref();
  }
}

/** What a cache asks the feed: the tables' current generations, or null (do not cache). */
export interface Stamper {
  stamp(tables: readonly string[]): string | null;
}

/**
 * A read-through cache of one kind of read, valid while the tables it reads are
 * unchanged. Bounded: when full, the oldest entries go. A failed read is not kept.
 */
export class ReadCache<V> {
  private readonly entries = new Map<string, { stamp: string; value: Promise<V> }>();

  constructor(
    private readonly tables: readonly string[],
    private readonly max = 10_000,
  ) {}

  get(feed: Stamper | undefined, key: string, load: () => Promise<V>): Promise<V> {
    const stamp = feed?.stamp(this.tables);
    if (stamp == null) return load();
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp) return hit.value;
    const value = load();
    if (this.entries.size >= this.max) {
      // Maps iterate in insertion order: drop the oldest tenth.
      let n = Math.ceil(this.max / 10);
      for (const k of this.entries.keys()) {
        if (n-- <= 0) break;
        this.entries.delete(k);
      }
    }
    this.entries.set(key, { stamp, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}

const feeds = new WeakMap<object, ChangeFeed>();

/** Caches the reads made through `db` while `feed` listens (the web server does this for the app's client). */
export function attachChangeFeed(db: object, feed: ChangeFeed): void {
  feeds.set(db, feed);
}

export function changeFeedOf(db: object): ChangeFeed | undefined {
  return feeds.get(db);
}
