import { describe, expect, it } from "vitest";
import { ReadCache, type Stamper } from "./change-feed";

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

describe("ReadCache", () => {
  it("serves a read again until one of its tables changes", async () => {
    const feed = fakeFeed();
    const cache = new ReadCache<number>(["A", "B"]);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get(feed, "k", load)).toBe(1);
    expect(await cache.get(feed, "k", load)).toBe(1);
    feed.bump("C"); // not read by this cache
    expect(await cache.get(feed, "k", load)).toBe(1);
    feed.bump("B");
    expect(await cache.get(feed, "k", load)).toBe(2);
    expect(await cache.get(feed, "other", load)).toBe(3);
  });

  it("shares one load between concurrent readers", async () => {
    const feed = fakeFeed();
    const cache = new ReadCache<number>(["A"]);
    let loads = 0;
    const load = () => new Promise<number>((r) => setTimeout(() => r(++loads), 10));
    expect(await Promise.all([cache.get(feed, "k", load), cache.get(feed, "k", load), cache.get(feed, "k", load)])).toEqual([1, 1, 1]);
  });

  it("treats a read that a change overtook as stale at once (the stamp is taken before reading)", async () => {
    const feed = fakeFeed();
    const cache = new ReadCache<string>(["A"]);
    let row = "old";
    const slow = () =>
      new Promise<string>((resolve) => {
        const seen = row;
        setTimeout(() => resolve(seen), 10);
      });
    const first = cache.get(feed, "k", slow);
    row = "new";
    feed.bump("A"); // committed and notified while the first read was in flight
    expect(await first).toBe("old");
    expect(await cache.get(feed, "k", slow)).toBe("new");
  });

  it("does not keep a failed read, and reads straight through while the feed is down", async () => {
    const feed = fakeFeed();
    const cache = new ReadCache<number>(["A"]);
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
    const cache = new ReadCache<{ id: string; server: string }>(["Environment", "Replica"], 100, (v) => [
      `Environment:${v.id}`,
      `Replica:${v.server}`,
    ]);
    let loads = 0;
    const load = async () => ({ id: "e1", server: "s1", n: ++loads });
    await cache.get(feed, "e1", load);
    feed.bump("Environment"); // the table key moves with every change...
    feed.bump("Environment:e2"); // ...but this change names another environment
    feed.bump("Replica:s2");
    await cache.get(feed, "e1", load);
    expect(loads).toBe(1);
    feed.bump("Replica:s1");
    await cache.get(feed, "e1", load);
    expect(loads).toBe(2);
  });

  it("judges a read still in flight by its tables (its keys are not known yet)", async () => {
    const feed = fakeFeed();
    const cache = new ReadCache<{ id: string }>(["Environment"], 100, (v) => [`Environment:${v.id}`]);
    let loads = 0;
    const pending: (() => void)[] = [];
    const slow = () => new Promise<{ id: string }>((r) => pending.push(() => r({ id: `e${++loads}` })));
    const first = cache.get(feed, "k", slow);
    feed.bump("Environment:other");
    feed.bump("Environment");
    const second = cache.get(feed, "k", slow); // the table changed after the first read began: read again
    for (const release of pending) release();
    await Promise.all([first, second]);
    expect(loads).toBe(2);
  });

  it("stays within its bound, dropping the oldest entries", async () => {
    const feed = fakeFeed();
    const cache = new ReadCache<number>(["A"], 10);
    let loads = 0;
    const load = async () => ++loads;
    for (let i = 0; i < 25; i++) await cache.get(feed, `k${i}`, load);
    expect(loads).toBe(25);
    await cache.get(feed, "k24", load); // newest: still cached
    expect(loads).toBe(25);
    await cache.get(feed, "k0", load); // oldest: dropped
    expect(loads).toBe(26);
  });
});
