import { expect, it } from "vitest";
import { PALETTE, SHARED_COLOR, STATE_COLORS } from "./map-draw";

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const distance = (a: string, b: string) => Math.hypot(...rgb(a).map((v, i) => v - rgb(b)[i]!));

it("no tenant or server colour is (near) a replica state colour, and the palette has no repeats", () => {
  for (const tenant of [...PALETTE, SHARED_COLOR]) {
    for (const [state, color] of Object.entries(STATE_COLORS)) {
      expect(distance(tenant, color), `${tenant} vs ${state} ${color}`).toBeGreaterThan(50);
    }
  }
  expect(new Set(PALETTE.map((c) => c.toLowerCase())).size).toBe(PALETTE.length);
});
