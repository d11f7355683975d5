import { describe, expect, it } from "vitest";
import { decodeMap } from "@/server/services/placement-map/selection";
import { toCsv } from "@/server/services/placement-map/export";
import { computeLayout, hitTest, MARK_LEFT, MARK_TOP, TILE } from "./map-layout";
import { tinyMap } from "./map-testing";

describe("map layout", () => {
  it("places every host in its zone band and domain column, and hit-tests tiles and marks", () => {
    const d = decodeMap(tinyMap());
    const layout = computeLayout(d);
    expect(layout.zones.map((z) => z.zone)).toEqual([0, 1]);
    expect(layout.hostX[1]).toBeGreaterThan(layout.hostX[0]!);
    const inside = (a: { x: number; y: number; w: number; h: number }, b: typeof a) =>
      a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
    const [z1, z2] = layout.zones;
    // Zones never overlap (side by side or stacked, whichever fills the frame).
    expect(z1!.x + z1!.w <= z2!.x || z2!.x + z2!.w <= z1!.x || z1!.y + z1!.h <= z2!.y || z2!.y + z2!.h <= z1!.y).toBe(true);
    for (const zone of layout.zones)
      for (const box of zone.domains) {
        expect(inside(box, zone)).toBe(true);
        for (const h of box.hosts) expect(inside({ x: layout.hostX[h]!, y: layout.hostY[h]!, w: TILE, h: TILE }, box)).toBe(true);
      }
    for (let h = 0; h < 3; h++) {
      expect(hitTest(layout, d, layout.hostX[h]! + TILE - 2, layout.hostY[h]! + TILE - 2)).toEqual({ host: h, replica: -1 });
      expect(hitTest(layout, d, layout.hostX[h]! + MARK_LEFT + 1, layout.hostY[h]! + MARK_TOP + 1)).toEqual({ host: h, replica: h });
    }
    expect(hitTest(layout, d, -10, -10)).toBeNull();
    expect(d.hostCpuUsed[0]).toBe(100);
  });

  it("exports CSV with quoting and defused formulas", () => {
    const csv = toCsv([
      {
        zone: "a,b",
        failure_domain: "=1+1",
        host: "h",
        host_state: "ready",
        state_server: 's"1',
        ordinal: 0,
        replica_state: "running",
        stage: "",
        tenants: "",
        environments: "",
      },
    ]);
    expect(csv.split("\r\n")[1]).toBe(`"a,b",'=1+1,h,ready,"s""1",0,running,,,`);
  });
});
