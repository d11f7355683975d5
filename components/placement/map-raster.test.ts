import { describe, expect, it } from "vitest";
import { applySelection, decodeMap } from "@/server/services/placement-map/selection";
import { STATE_COLORS } from "./map-draw";
import { computeLayout, MARK, MARK_LEFT, MARK_TOP, TILE } from "./map-layout";
import { fillRect, rasterizeHosts, rgbaWord } from "./map-raster";
import { tinyMap } from "./map-testing";

function raster(scale: number, selection = {}) {
  const d = decodeMap(tinyMap());
  const layout = computeLayout(d);
  const width = Math.ceil(layout.width * scale) + 2;
  const height = Math.ceil(layout.height * scale) + 2;
  const target = { pixels: new Uint32Array(width * height), width, height };
  const sel = applySelection(d, selection);
  rasterizeHosts(target, { layout, d, sel, color: "state", overlays: {}, k: scale, tx: 0, ty: 0, scale });
  const at = (wx: number, wy: number) => target.pixels[Math.floor(wy * scale) * width + Math.floor(wx * scale)]!;
  return { layout, at };
}

describe("map raster", () => {
  it("words are little-endian RGBA, as an ImageData's bytes read through a Uint32Array", () => {
    expect(rgbaWord("#102030")).toBe(0xff302010);
  });

  it("fills whole pixels, keeps a third-of-a-pixel sliver as one pixel, and blends with alpha", () => {
    const t = { pixels: new Uint32Array(16), width: 4, height: 4 };
    fillRect(t, 0.6, 0, 2.6, 1, rgbaWord("#ffffff"));
    expect([...t.pixels.slice(0, 4)]).toEqual([0, 0xffffffff, 0xffffffff, 0]);
    fillRect(t, 3, 1, 3.4, 2, rgbaWord("#ffffff"));
    expect(t.pixels[7]).toBe(0xffffffff);
    fillRect(t, 0, 3, 1, 4, rgbaWord("#000000"));
    fillRect(t, 0, 3, 1, 4, rgbaWord("#ffffff"), 0.5);
    expect(t.pixels[12]).toBe(rgbaWord("#808080"));
  });

  it("paints each host's tile and each replica's mark in its state colour, where the layout puts them", () => {
    const { layout, at } = raster(1);
    const markOf = (h: number) => at(layout.hostX[h]! + MARK_LEFT + MARK / 2, layout.hostY[h]! + MARK_TOP + MARK / 2);
    // tinyMap: replicas 0 and 1 are learners (state 3) on hosts 0 and 1; replica 2 runs (state 4) on host 2, which is down.
    expect(markOf(0)).toBe(rgbaWord(STATE_COLORS.learner));
    expect(markOf(2)).toBe(rgbaWord(STATE_COLORS.running));
    const inside = (h: number) => at(layout.hostX[h]! + TILE - 6, layout.hostY[h]! + TILE - 6);
    expect(inside(0)).toBe(rgbaWord("#ffffff"));
    expect(inside(2)).toBe(rgbaWord("#fee2e2"));
    expect(at(layout.hostX[2]!, layout.hostY[2]! + TILE / 2)).toBe(rgbaWord("#dc2626"));
  });

  it("dims what a selection leaves out", () => {
    const { layout, at } = raster(1, { host: "h1" });
    expect(at(layout.hostX[0]! + TILE - 6, layout.hostY[0]! + TILE - 6)).toBe(rgbaWord("#ffffff"));
    expect(at(layout.hostX[1]! + TILE - 6, layout.hostY[1]! + TILE - 6)).not.toBe(rgbaWord("#ffffff"));
  });
});
