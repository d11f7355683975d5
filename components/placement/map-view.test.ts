import { expect, it } from "vitest";
import { TILE } from "./map-layout";
import { aspectBucket, fittedView, focusedView, keyedView, zoomedView } from "./map-view";

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

it("keys on the focused map: arrows pan, + and - zoom about the centre, 0 fits, other keys do nothing", () => {
  const v = { scale: 1, tx: 0, ty: 0 };
  expect(keyedView(v, "ArrowLeft", 800, 600)).toEqual({ scale: 1, tx: 60, ty: 0 });
  expect(keyedView(v, "ArrowDown", 800, 600)).toEqual({ scale: 1, tx: 0, ty: -60 });
  const zoomed = keyedView(v, "+", 800, 600) as typeof v;
  expect(zoomed.scale).toBeCloseTo(1.25);
  expect(400 * zoomed.scale + zoomed.tx).toBeCloseTo(400); // the centre stays put
  expect((keyedView(v, "-", 800, 600) as typeof v).scale).toBeCloseTo(0.8);
  expect(keyedView(v, "0", 800, 600)).toBe("fit");
  expect(keyedView(v, "a", 800, 600)).toBeNull();
});
