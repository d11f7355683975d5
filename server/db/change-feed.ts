import pg from "pg";
import type { Logger } from "pino";
import { anyRowKey, changedKeys, modelOfKey } from "./feed-keys";

const CHANGE_CHANNEL = "statehouse_change";
const PING_EVERY_MS = 5000;
const PING_TIMEOUT_MS = 2000;
const MAX_KEYS = 500_000;
/** The payload prefix of sync markers (not a table). */
const SYNC = "~sync";

/**
 * What changed, as Postgres tells it: one LISTEN connection per app process on
 * the channel the change-feed triggers NOTIFY at commit. A message names a
 * table, and for the busiest tables the values of some columns of the rows
 * it changed (server/db/feed-keys.ts). A cached read depends on keys: `Model`
 * (any change to it) or `Model.column:<value>` (a change to a row holding that
 * value, or one to the whole table). Every message advances a sequence
 * number; a read records the number before it starts and is used again only
 * while none of its keys changed after that (a change during the read leaves
 * it stale at once, never wrong). While the connection is down (and until it
 * is back) nothing is served from cache: `mark` answers null; after a gap,
 * everything read before is dropped. A write through this process waits for
 * its own notification (`sync`) before answering.
 */
export class ChangeFeed implements Stamper {
  private seq = 0;
  /** Reads marked before this are not trusted (a reconnect, a local write). */
  private validFrom = 0;
  private readonly lastChange = new Map<string, number>();
  private client: pg.Client | null = null;
  private listening = false;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private ping: NodeJS.Timeout | undefined;
  private readonly waiters = new Set<{ table: string; resolve: () => void }>();
  private readonly listeners = new Set<(table: string) => void>();
  private readonly syncWaiters = new Map<string, () => void>();
  private syncs = 0;

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

  mark(): number | null {
    return this.listening ? this.seq : null;
  }

  unchangedSince(keys: readonly string[], mark: number): boolean {
    if (!this.listening || mark < this.validFrom) return false;
    for (const key of keys) {
      if ((this.lastChange.get(key) ?? -1) > mark) return false;
      if (key.includes(":") && (this.lastChange.get(anyRowKey(modelOfKey(key))) ?? -1) > mark) return false;
    }
    return true;
  }

  /** Drops every cached read of this process. */
  invalidateAll(): void {
    this.validFrom = ++this.seq;
  }

  /**
   * Resolves once every change committed before the call has been heard:
   * after a write through this process, so that its next read sees it. The
   * feed NOTIFYs itself a marker; Postgres delivers notifications in commit
   * order, so when the marker arrives everything committed before has too.
   * If the marker does not come back in time, everything cached is dropped.
   */
  async sync(timeoutMs = 1000): Promise<void> {
    const client = this.client;
    if (!client || !this.listening) return;
    const marker = `${SYNC}|${process.pid}.${++this.syncs}`;
    let timer: NodeJS.Timeout | undefined;
    const heard = new Promise<boolean>((resolve) => {
      this.syncWaiters.set(marker, () => resolve(true));
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      await client.query("SELECT pg_notify($1, $2)", [CHANGE_CHANNEL, marker]);
      if (!(await heard)) this.invalidateAll();
    } catch {
      this.invalidateAll();
    } finally {
      clearTimeout(timer);
      this.syncWaiters.delete(marker);
    }
  }

  /** Calls `listener` with the table of every change heard (not sync markers); returns the unsubscribe. */
  onChange(listener: (table: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves at the next notification for `table` (tests). */
  nextChange(table: string): Promise<void> {
    return new Promise((resolve) => this.waiters.add({ table, resolve }));
  }

  private changed(payload: string) {
    if (payload.startsWith(`${SYNC}|`)) return void this.syncWaiters.get(payload)?.();
    const { model: table, keys } = changedKeys(payload);
    const at = ++this.seq;
    for (const key of keys) this.lastChange.set(key, at);
    // Bounded: forgetting is safe once every earlier read is distrusted.
    if (this.lastChange.size > MAX_KEYS) {
      this.lastChange.clear();
      this.validFrom = ++this.seq;
    }
    for (const listener of this.listeners) listener(table);
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
    this.lastChange.clear();
    this.validFrom = ++this.seq;
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

/** What a cache asks the feed (an interface, so a test can stand in for Postgres). */
export interface Stamper {
  /** Where the feed's history is now, to check a read against later; null while not listening (do not cache). */
  mark(): number | null;
  /** Whether none of `keys` changed after `mark` (false while not listening, or for a read from before a gap). */
  unchangedSince(keys: readonly string[], mark: number): boolean;
}

const feeds = new WeakMap<object, ChangeFeed>();

/** Caches the reads made through `db` while `feed` listens (the web server does this for the app's client). */
export function attachChangeFeed(db: object, feed: ChangeFeed): void {
  feeds.set(db, feed);
}

export function changeFeedOf(db: object): ChangeFeed | undefined {
  return feeds.get(db);
}
