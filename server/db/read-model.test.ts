import { describe, expect, it } from "vitest";
import type { Stamper } from "./change-feed";
import { changedKeys, rowKey } from "./feed-keys";
import { ReadModel, type ReadModelName } from "./read-model";

/** A feed whose history the test writes by hand. */
function fakeFeed() {
  let seq = 0;
  let listening = true;
  const last = new Map<string, number>();
  const feed: Stamper & { bump(key: string): void; down(): void } = {
    mark: () => (listening ? seq : null),
    unchangedSince: (keys, mark) => listening && keys.every((k) => (last.get(k) ?? -1) <= mark),
    bump: (key) => void last.set(key, ++seq),
    down: () => {
      listening = false;
    },
  };
  return feed;
}

const DB = {};

/** A read model over `name`'s models, read through the hand-written feed. */
function cacheOf<V>(name: ReadModelName, dependsOn?: ConstructorParameters<typeof ReadModel<V>>[1]) {
  const model = new ReadModel<V>(name, dependsOn);
  return { get: (feed: Stamper | undefined, key: string, load: () => Promise<V>) => model.readWith(feed, DB, key, load) };
}

describe("changedKeys", () => {
  it("names row keys by column: one value per column on INSERT or DELETE, old and new on UPDATE", () => {
    expect(changedKeys("Environment|e1|s1").keys).toEqual(["Environment", "Environment.id:e1", "Environment.stateServerId:s1"]);
    expect(changedKeys("Environment|e1|e1|s1|s2").keys).toEqual([
      "Environment",
      "Environment.id:e1",
      "Environment.id:e1",
      "Environment.stateServerId:s1",
      "Environment.stateServerId:s2",
    ]);
    expect(changedKeys("Replica||s2").keys).toEqual(["Replica", "Replica.stateServerId:s2"]);
  });

  it("takes a whole-table or unexpected payload as the whole table", () => {
    expect(changedKeys("Tenant").keys).toEqual(["Tenant", "Tenant.*"]);
    expect(changedKeys("Environment|a|b|c").keys).toEqual(["Environment", "Environment.*"]);
  });
});

describe("ReadModel", () => {
  it("serves a read again until one of its tables changes", async () => {
    const feed = fakeFeed();
    const cache = cacheOf<number>("environmentListPage"); // Environment, Tenant
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get(feed, "k", load)).toBe(1);
    expect(await cache.get(feed, "k", load)).toBe(1);
    feed.bump("User"); // not read by this cache
    expect(await cache.get(feed, "k", load)).toBe(1);
    feed.bump("Tenant");
    expect(await cache.get(feed, "k", load)).toBe(2);
    expect(await cache.get(feed, "other", load)).toBe(3);
  });

  it("shares one load between concurrent readers", async () => {
    const feed = fakeFeed();
    const cache = cacheOf<number>("apiTokenByHash");
    let loads = 0;
    const load = () => new Promise<number>((r) => setTimeout(() => r(++loads), 10));
    expect(await Promise.all([cache.get(feed, "k", load), cache.get(feed, "k", load), cache.get(feed, "k", load)])).toEqual([1, 1, 1]);
  });

  it("treats a read that a change overtook as stale at once (the stamp is taken before reading)", async () => {
    const feed = fakeFeed();
    const cache = cacheOf<string>("apiTokenByHash");
    let row = "old";
    const slow = () =>
      new Promise<string>((resolve) => {
        const seen = row;
        setTimeout(() => resolve(seen), 10);
      });
    const first = cache.get(feed, "k", slow);
    row = "new";
    feed.bump("ApiToken"); // committed and notified while the first read was in flight
    expect(await first).toBe("old");
    expect(await cache.get(feed, "k", slow)).toBe("new");
  });

  it("does not keep a failed read, and reads straight through while the feed is down", async () => {
    const feed = fakeFeed();
    const cache = cacheOf<number>("apiTokenByHash");
    let loads = 0;
    await expect(cache.get(feed, "k", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await cache.get(feed, "k", async () => ++loads)).toBe(1);
    feed.down();
    expect(await cache.get(feed, "k", async () => ++loads)).toBe(2);
    expect(await cache.get(feed, "k", async () => ++loads)).toBe(3);
    expect(await cache.get(undefined, "k", async () => ++loads)).toBe(4);
  });

  it("narrows a finished read to the keys found in it: other rows' changes keep it, its own drop it", async () => {
    const feed = fakeFeed();
    const cache = cacheOf<{ id: string; server: string }>("environmentDetail", (v) => [
      rowKey("Environment", "id", v.id),
      rowKey("Replica", "stateServerId", v.server),
    ]);
    let loads = 0;
    const load = async () => ({ id: "e1", server: "s1", n: ++loads });
    await cache.get(feed, "e1", load);
    feed.bump("Environment"); // the table key moves with every change...
    feed.bump("Environment.id:e2"); // ...but this change names another environment
    feed.bump("Replica.stateServerId:s2");
    await cache.get(feed, "e1", load);
    expect(loads).toBe(1);
    feed.bump("Replica.stateServerId:s1");
    await cache.get(feed, "e1", load);
    expect(loads).toBe(2);
  });

  it("judges a read still in flight by its tables (its keys are not known yet)", async () => {
    const feed = fakeFeed();
    const cache = cacheOf<{ id: string }>("environmentDetail", (v) => [rowKey("Environment", "id", v.id)]);
    let loads = 0;
    const pending: (() => void)[] = [];
    const slow = () => new Promise<{ id: string }>((r) => pending.push(() => r({ id: `e${++loads}` })));
    const first = cache.get(feed, "k", slow);
    feed.bump("Environment.id:other");
    feed.bump("Environment");
    const second = cache.get(feed, "k", slow); // the table changed after the first read began: read again
    for (const release of pending) release();
    await Promise.all([first, second]);
    expect(loads).toBe(2);
  });

  it("stays within its bound, dropping the oldest entries", async () => {
    const feed = fakeFeed();
    const cache = cacheOf<number>("placementMapByVersion"); // bound: 2
    let loads = 0;
    const load = async () => ++loads;
    for (let i = 0; i < 5; i++) await cache.get(feed, `k${i}`, load);
    expect(loads).toBe(5);
    await cache.get(feed, "k4", load); // newest: still cached
    expect(loads).toBe(5);
    await cache.get(feed, "k0", load); // oldest: dropped
    expect(loads).toBe(6);
  });
});

describe("a read that depends on its key alone", () => {
  it("is cached without a change feed, per database client", async () => {
    const model = new ReadModel<number>("placementProblemByVersion");
    const [a, b] = [{}, {}];
    let loads = 0;
    const load = async () => ++loads;
    expect(await model.read(a, "v1", load)).toBe(1);
    expect(await model.read(a, "v1", load)).toBe(1);
    expect(await model.read(b, "v1", load)).toBe(2);
    expect(await model.read(a, "v2", load)).toBe(3);
  });
});
