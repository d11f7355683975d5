import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HostTenantCounts } from "./host-tenant-counts";

// Cheap runs: four times the property budget, so a wrong hole-filling rule shows on every run.
const RUNS = Number(process.env.FC_RUNS ?? 150);

describe("HostTenantCounts", () => {
  it("counts like a map under any sequence of adds and removes, colliding pairs included", () => {
    // Few hosts and tenants, many operations: probe runs form, wrap around and get holes punched in them.
    const op = fc.record({ add: fc.boolean(), host: fc.integer({ min: 0, max: 11 }), tenant: fc.integer({ min: 0, max: 5 }) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300, size: "max" }), (ops) => {
        const model = new Map<string, number>();
        const counts = new HostTenantCounts(8);
        let pairs = 0;
        for (const { add, host, tenant } of ops) {
          const key = `${host}/${tenant}`;
          const before = model.get(key) ?? 0;
          if (add) {
            // The table is sized for at most 8 pairs held at once (16 slots: long probe runs), as the engine sizes it for its replicas.
            if (before === 0 && pairs === 8) continue;
            if (before === 0) pairs++;
            expect(counts.add(host, tenant)).toBe(before);
            model.set(key, before + 1);
          } else {
            if (before === 0) continue;
            if (before === 1) pairs--;
            expect(counts.remove(host, tenant)).toBe(before - 1);
            model.set(key, before - 1);
          }
          expect(counts.has(host, tenant)).toBe((model.get(key) ?? 0) > 0);
        }
        for (let h = 0; h < 12; h++) for (let t = 0; t < 6; t++) expect(counts.has(h, t)).toBe((model.get(`${h}/${t}`) ?? 0) > 0);
      }),
      { numRuns: RUNS * 4 },
    );
  });
});
