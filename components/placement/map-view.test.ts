import { expect, it } from "vitest";
import { TILE } from "./map-layout";
import { fittedView, focusedView } from "./map-view";

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
