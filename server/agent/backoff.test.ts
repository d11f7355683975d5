import { describe, expect, it } from "vitest";
import { RestartBackoff } from "./backoff";

describe("member restart backoff", () => {
  it("doubles from 0.5 s to a 30 s cap while the member keeps crashing", () => {
    const backoff = new RestartBackoff();
    const delays = Array.from({ length: 9 }, (_, i) => backoff.next(i * 1000));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("resets once the member had run healthily for a minute before crashing", () => {
    const backoff = new RestartBackoff();
    for (let i = 0; i < 8; i++) backoff.next(i);
    // Healthy for 10 s: still a crash loop.
    expect(backoff.next(100_000, 90_000)).toBe(30_000);
    // Healthy for 60 s: a fresh start.
    expect(backoff.next(200_000, 140_000)).toBe(500);
    expect(backoff.next(200_500)).toBe(1000);
  });
});
