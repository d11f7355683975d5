import { expect, it } from "vitest";
import { TILE } from "./map-layout";
import { aspectBucket, fittedView, focusedView, zoomedView } from "./map-view";

it("fits the fleet centred in the frame, and zooms a host's tile to the centre", () => {
  const fit = fittedView({ width: 1000, height: 200 }, 800, 600);
  expect(fit.ty).toBeGreaterThan(100); // centred vertically, not at the top
  expect(fit.tx * 2 + 1000 * fit.scale).toBeCloseTo(800);
  const layout = { hostX: new Float32Array([0, 500]), hostY: new Float32Array([0, 120]) };
  const v = focusedView(layout, 1, 800, 600);
  expect((500 + TILE / 2) * v.scale + v.tx).toBeCloseTo(400);
  expect((120 + TILE / 2) * v.scale + v.ty).toBeCloseTo(300);
  expect(v.scale).toBeGreaterThan(fit.scale);
});

it("zooms about a point that stays put, and buckets frame shapes so a small resize keeps the layout", () => {
  const v = zoomedView({ scale: 1, tx: 10, ty: 20 }, { x: 100, y: 50 }, 2);
  expect(v.scale).toBe(2);
  expect((100 - v.tx) / v.scale).toBeCloseTo(90);
  expect((50 - v.ty) / v.scale).toBeCloseTo(30);
  expect(zoomedView(v, { x: 0, y: 0 }, 100).scale).toBe(8);
  expect(aspectBucket(1.6)).toBe(aspectBucket(1.62));
  expect(aspectBucket(1.6)).not.toBe(aspectBucket(1.9));
  expect(Math.abs(aspectBucket(1.6) / 1.6 - 1)).toBeLessThan(0.06);
});
