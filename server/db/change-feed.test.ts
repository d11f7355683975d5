import { describe, expect, it } from "vitest";
import { ReadCache, type Stamper } from "./change-feed";

/** A feed whose generations the test moves by hand. */
function fakeFeed() {
  const gen = new Map<string, number>();
  let listening = true;
  const feed: Stamper & { bump(t: string): void; down(): void } = {
    stamp: (tables) => (listening ? tables.map((t) => gen.get(t) ?? 0).join(".") : null),
    bump: (t) => gen.set(t, (gen.get(t) ?? 0) + 1),
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
