import { describe, expect, it } from "vitest";
import { decodeMap } from "@/server/services/placement-map/selection";
import type { PlacementMap } from "@/server/services/placement-map/types";
import { computeLayout, hitTest, labelWidth, TILE, titleScale } from "./map-layout";
import { fittedView } from "./map-view";

type ZoneSpec = { name: string; purpose: string; domains: Record<string, number> };

/** A placement map with the given hosts per zone and failure domain, no replicas (the layout only looks at hosts). */
function fleet(zones: ZoneSpec[]): PlacementMap {
  const domains = { zone: [] as number[], name: [] as string[] };
  const hosts = { domain: [] as number[], name: [] as string[] };
  zones.forEach((z, zi) =>
    Object.entries(z.domains).forEach(([name, n]) => {
      const dom = domains.name.push(name) - 1;
      domains.zone.push(zi);
      for (let i = 0; i < n; i++) {
        hosts.domain.push(dom);
        hosts.name.push(`${z.name}-${name}-${i}`);
      }
    }),
  );
  const n = hosts.name.length;
  const fill = (v: number) => Array.from({ length: n }, () => v);
  return {
    version: "1",
    asOf: null,
    generatedAt: "",
    zones: { id: zones.map((z) => z.name), name: zones.map((z) => z.name), purpose: zones.map((z) => z.purpose) },
    domains,
    tenants: { id: [], slug: [], name: [] },
    hosts: {
      id: hosts.name,
      name: hosts.name,
      domain: hosts.domain,
      state: fill(0),
      cpu: fill(1000),
      mem: fill(1024),
      slots: fill(24),
      env: fill(-1),
      dedicated: fill(-1),
      heartbeat: fill(-1),
    },
    servers: { name: [], tenant: [], stage: [], replicas: [], cpu: [], mem: [], zone: [] },
    environments: { name: [], tenant: [], stage: [], server: [] },
    replicas: { serverDelta: [], ordinal: [], host: [], state: [] },
  };
}

const four = (n: number) => ({ "az-1": n, "az-2": n, "az-3": n, "az-4": n });
/** The shape `npm run seed:fleet` makes at 2,000 hosts (scripts/seed-fleet-plan.ts). */
const FLEET_2000 = fleet([
  { name: "control", purpose: "control_plane", domains: four(50) },
  { name: "restricted", purpose: "restricted", domains: four(100) },
  { name: "shared-east", purpose: "workload", domains: four(175) },
  { name: "shared-west", purpose: "workload", domains: four(175) },
]);
/** The demo fleet `npm start` runs (scripts/demo-fleet.ts). */
const DEMO = fleet([
  { name: "control", purpose: "control_plane", domains: { "az-3": 1 } },
  { name: "shared-east", purpose: "workload", domains: { "az-1": 2, "az-2": 2, "az-3": 1 } },
]);

/** The frames the map meets: a 1920x1080 screen beside the side panel, a 1280x720 one, a narrow one. */
const FRAMES = [
  [1236, 670],
  [600, 446],
  [700, 700],
] as const;

const shown = (map: PlacementMap, w: number, h: number) => {
  const layout = computeLayout(decodeMap(map), w / h);
  const view = fittedView(layout, w, h);
  return { layout, view, width: (layout.width * view.scale) / w, height: (layout.height * view.scale) / h };
};

describe("the fitted map fills its frame", () => {
  for (const [w, h] of FRAMES) {
    it(`2,000 hosts in a ${w}x${h} frame: zones laid out to the frame's shape, filling it both ways`, () => {
      const fit = shown(FLEET_2000, w, h);
      expect(Math.min(fit.width, fit.height)).toBeGreaterThanOrEqual(0.85);
      const boxAspect = fit.layout.width / fit.layout.height;
      expect(Math.abs(Math.log(boxAspect / (w / h)))).toBeLessThan(Math.log(1.2));
    });
    it(`the demo in a ${w}x${h} frame: fills it in one dimension`, () => {
      const fit = shown(DEMO, w, h);
      expect(Math.max(fit.width, fit.height)).toBeGreaterThanOrEqual(0.9);
      expect(Math.min(fit.width, fit.height)).toBeGreaterThanOrEqual(0.6);
    });
  }

  it("every host of the fleet gets a tile, and hit-testing finds it where it is drawn", () => {
    const d = decodeMap(FLEET_2000);
    const layout = computeLayout(d, 1236 / 670);
    const seen = new Set<string>();
    const missed: number[] = [];
    for (let host = 0; host < d.map.hosts.id.length; host++) {
      seen.add(`${layout.hostX[host]},${layout.hostY[host]}`);
      if (hitTest(layout, d, layout.hostX[host]! + TILE / 2, layout.hostY[host]! + TILE / 2)?.host !== host) missed.push(host);
    }
    expect(seen.size).toBe(2000);
    expect(missed).toEqual([]);
    expect(hitTest(layout, d, layout.width + 10, 0)).toBeNull();
  });
});

describe("titles are proportionate to hosts", () => {
  it("in the demo a zone title is a third of a tile high and every label fits its box", () => {
    const { layout } = shown(DEMO, 1236, 670);
    expect(layout.zoneFont).toBeLessThanOrEqual(TILE / 3);
    expect(layout.domainFont).toBeLessThan(layout.zoneFont);
    for (const zone of layout.zones) {
      expect(labelWidth(DEMO.zones.name[zone.zone]!, layout.zoneFont)).toBeLessThanOrEqual(zone.w);
      for (const box of zone.domains) expect(labelWidth(DEMO.domains.name[box.domain]!, layout.domainFont)).toBeLessThanOrEqual(box.w);
    }
  });

  it("at 2,000 hosts zone titles stay readable in the fitted view, and grow no more than 4x", () => {
    const fit = shown(FLEET_2000, 1236, 670);
    expect(fit.layout.zoneFont * fit.view.scale).toBeGreaterThanOrEqual(12);
    expect(fit.layout.domainFont * fit.view.scale).toBeGreaterThanOrEqual(9);
    expect(titleScale(1_000_000)).toBe(4);
    expect(titleScale(6)).toBe(1);
  });
});
