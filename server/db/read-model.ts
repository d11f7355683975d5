import { changeFeedOf, type Stamper } from "./change-feed";
import type { DependencyKey, Model } from "./feed-keys";

/**
 * Every read the app keeps in memory, in one place: the models each depends on
 * (a change to any of them, as the change feed reports it, drops the read) and
 * its bound. A model listed here must have a change trigger:
 * server/db/read-model.int.test.ts checks that against pg_trigger. A read
 * with no models depends on its key alone (a value computed for one version
 * string): it never goes stale, only out of the bound.
 */
export const READ_MODELS = {
  /** The signed-in user, their role and memberships, by user id. */
  sessionUser: { models: ["User", "Membership", "Tenant"], max: 20_000 },
  /** A browser session's row (is it still live?), by session id; narrowed to that row once read. */
  browserSession: { models: ["BrowserSession"], max: 50_000 },
  /** A personal API token's row, by the token's hash. */
  apiTokenByHash: { models: ["ApiToken"], max: 20_000 },
  /** One page of the environment list, by caller scope and page. */
  environmentListPage: { models: ["Environment", "Tenant", "StateServer"], max: 5_000 },
  /** How many environments a list's filter matches, by filter. */
  environmentListTotal: { models: ["Environment"], max: 1_000 },
  /** The rows of an environment's page, by environment id (narrowed to its own rows once read). */
  environmentDetail: {
    models: ["Environment", "Tenant", "StateServer", "Replica", "Host", "RuntimeJob", "AuditEvent", "SecurityZone", "PlacementEvent"],
    max: 5_000,
  },
  /** The placement version (what the map and the placement problem are built from). */
  placementVersion: { models: ["Host", "Replica", "Environment", "PlacementEvent"], max: 1 },
  /** The present placement map, by placement version. */
  placementMapByVersion: { models: [], max: 2 },
  /** The fleet's rows for previews and reports (policy rules and zone grants are read every time). */
  fleetRows: { models: ["Tenant", "SecurityZone", "Environment", "StateServer", "Replica", "Host"], max: 1 },
  /** The placement problem, by placement version. */
  placementProblemByVersion: { models: [], max: 2 },
} as const satisfies Record<string, { models: readonly Model[]; max: number }>;

export type ReadModelName = keyof typeof READ_MODELS;

/** Every model some cached read depends on (each needs a change trigger). */
export const cachedModels = (): Model[] =>
  [...new Set(Object.values(READ_MODELS).flatMap((spec) => spec.models as readonly Model[]))].sort();

interface Entry<V> {
  mark: number;
  keys: readonly DependencyKey[];
  value: Promise<V>;
}

/**
 * A read-through cache of one kind of read (one of READ_MODELS), per database
 * client. An entry is served while what it read is unchanged: its models, or,
 * once the read is done, the narrower keys `dependsOn` finds in the result (an
 * environment's page depends on its own rows, not on every environment's).
 * While the database has no change feed (or it is down), reads go straight
 * through. The one eviction policy: at the bound, the oldest tenth goes. A
 * failed read is not kept.
 */
export class ReadModel<V> {
  private readonly byDb = new WeakMap<object, Map<string, Entry<V>>>();
  private readonly models: readonly Model[];
  private readonly max: number;

  constructor(
    readonly name: ReadModelName,
    private readonly dependsOn?: (value: V, key: string) => readonly DependencyKey[],
  ) {
    this.models = READ_MODELS[name].models;
    this.max = READ_MODELS[name].max;
  }

  /** `load`'s answer for `key`, from memory while still valid. */
  read(db: object, key: string, load: () => Promise<V>): Promise<V> {
    return this.readWith(this.models.length ? changeFeedOf(db) : KEY_ALONE, db, key, load);
  }

  /** `read` with the feed given (tests stand in for Postgres). */
  readWith(feed: Stamper | undefined, db: object, key: string, load: () => Promise<V>): Promise<V> {
    const mark = feed?.mark();
    if (mark == null || !feed) return load();
    let entries = this.byDb.get(db);
    if (!entries) this.byDb.set(db, (entries = new Map()));
    const hit = entries.get(key);
    if (hit && feed.unchangedSince(hit.keys, hit.mark)) return hit.value;
    const value = load();
    if (entries.size >= this.max) evictOldest(entries, Math.ceil(this.max / 10));
    const entry: Entry<V> = { mark, keys: this.models, value };
    entries.set(key, entry);
    value.then(
      (v) => {
        if (this.dependsOn) entry.keys = this.dependsOn(v, key);
      },
      () => {
        if (entries.get(key) === entry) entries.delete(key);
      },
    );
    return value;
  }
}

/** Maps iterate in insertion order: the first `n` are the oldest. */
function evictOldest(entries: Map<string, unknown>, n: number) {
  for (const key of entries.keys()) {
    if (n-- <= 0) break;
    entries.delete(key);
  }
}

/** For reads that depend on their key alone: always valid. */
const KEY_ALONE: Stamper = { mark: () => 0, unchangedSince: () => true };

/**
 * Read-your-writes: resolves once this process's caches have heard every
 * change committed so far (after a write, before answering it), so the
 * writer's next read sees its write. Nothing to wait for without a feed.
 */
export async function awaitOwnWrites(db: object): Promise<void> {
  await changeFeedOf(db)?.sync();
}
