import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PlacementEngine } from "./engine";
import { handleHostLoss } from "./failover";
import { placeReplicas } from "./place";
import { problemArb } from "./problem-arbitrary";
import type { PlacementHost } from "./types";
import { verifyPlacement } from "./verify";

const RUNS = Number(process.env.FC_RUNS ?? 150);
const key = (p: { stateServer: string; ordinal: number }) => `${p.stateServer}#${p.ordinal}`;

describe("placement invariants (fast-check)", () => {
  it("never breaks a hard constraint (independent checker), every replica accounted for", () => {
    fc.assert(
      fc.property(problemArb, (p) => {
        const r = placeReplicas(p);
        expect(verifyPlacement(p, r)).toEqual([]);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it("unplaced replicas really have no feasible host: reasons add up to the host count", () => {
    fc.assert(
      fc.property(problemArb, (p) => {
        for (const u of placeReplicas(p).unplaced) {
          const total = Object.values(u.reasons).reduce((a, b) => a + (b ?? 0), 0);
          expect(total).toBe(p.hosts.length);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("is idempotent on a converged state", () => {
    fc.assert(
      fc.property(problemArb, (p) => {
        // Replicas leaving draining hosts hold their hosted-by edges until they are gone (make-before-break),
        // so the pass after the moves may place what those edges blocked; it moves nothing, and then it converges.
        const r = placeReplicas(p);
        const next = placeReplicas({ ...p, existing: r.placements });
        expect(next.moved).toEqual([]);
        const placedNext = new Set(next.placements.map((x) => `${key(x)}@${x.host}`));
        for (const x of r.placements) expect(placedNext.has(`${key(x)}@${x.host}`)).toBe(true);
        const again = placeReplicas({ ...p, existing: next.placements });
        expect(again.placements).toEqual(next.placements);
        expect(again.moved).toEqual([]);
        expect(again.unplaced.map(key)).toEqual(next.unplaced.map(key));
      }),
      { numRuns: RUNS },
    );
  });

  it("is stable: replicas on hosts that stay ready or get cordoned never move", () => {
    fc.assert(
      fc.property(
        problemArb,
        fc.array(fc.tuple(fc.nat(), fc.constantFrom("cordoned", "draining", "down") as fc.Arbitrary<PlacementHost["state"]>), {
          maxLength: 3,
        }),
        (p, changes) => {
          const r = placeReplicas(p);
          const hosts = p.hosts.map((h) => ({ ...h }));
          for (const [i, state] of changes) {
            const h = hosts[i % hosts.length]!;
            if (h.state === "ready") h.state = state;
          }
          const next = { ...p, hosts, existing: r.placements };
          const r2 = placeReplicas(next);
          expect(verifyPlacement(next, r2, { requireKept: true })).toEqual([]);
          const lost = new Set(hosts.filter((h) => h.state === "draining" || h.state === "down").map((h) => h.id));
          for (const m of r2.moved) expect(lost.has(m.from)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("is deterministic: input order of hosts and servers does not change the decisions", () => {
    fc.assert(
      fc.property(problemArb, (p) => {
        const a = placeReplicas(p);
        const b = placeReplicas({ ...p, hosts: [...p.hosts].reverse() });
        expect(b).toEqual(a);
      }),
      { numRuns: RUNS },
    );
  });

  it("incremental host loss moves only that host's replicas and stays valid", () => {
    fc.assert(
      fc.property(problemArb, fc.nat(), (p, pick) => {
        const engine = new PlacementEngine(p);
        engine.placePending();
        const before = engine.result();
        const victim = p.hosts[pick % p.hosts.length]!.id;
        const loss = handleHostLoss(engine, victim);
        const after = engine.result();
        const next = { ...p, hosts: p.hosts.map((h) => (h.id === victim ? { ...h, state: "down" as const } : h)) };
        expect(verifyPlacement(next, after)).toEqual([]);
        const was = new Map(before.placements.map((x) => [key(x), x.host]));
        for (const x of after.placements) if (was.get(key(x)) !== victim && was.has(key(x))) expect(x.host).toBe(was.get(key(x)));
        for (const m of loss.moved) expect(m.from).toBe(victim);
      }),
      { numRuns: RUNS },
    );
  });
});
