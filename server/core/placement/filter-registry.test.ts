import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PlacementEngine } from "./engine";
import { FILTERS, firstFailure } from "./filters";
import { problemArb } from "./problem-arbitrary";
import { R } from "./reasons";

const RUNS = Number(process.env.FC_RUNS ?? 150);

/**
 * The precomputation (host groups in prepare, host classes in
 * collectEligible, the kept-replica check) asks the same filter table as the
 * explanation (firstFailure, host by host): on generated fleets, after
 * placing, for every server and host, the class-level answers agree with the
 * host-level ones.
 */
describe("one filter registry: class-level verdicts agree with the host-level filters", () => {
  it("exact filters answer for a class as for each of its hosts; prunes never refuse a host the filter takes", () => {
    fc.assert(
      fc.property(problemArb, (p) => {
        const engine = new PlacementEngine(p);
        engine.placePending();
        const { st, ctx, classes } = engine;
        for (let s = 0; s < st.nServers; s++) {
          ctx.prepare(s);
          for (const f of FILTERS) {
            if (!f.rejectsClass) continue;
            for (let h = 0; h < st.nHosts; h++) {
              const byHost = f.rejects(ctx, h);
              const group = st.groups.list[st.groups.ofHost[h]!]!;
              if (f.judges === "group") expect(f.rejectsClass(ctx, group), `${f.code} on the group of host ${h}`).toBe(byHost);
              const k = classes.hostClass[h]!;
              if (k < 0) continue;
              const byClass = f.rejectsClass(ctx, classes.list[k]!);
              if (f.judges) expect(byClass, `${f.code} on the class of host ${h}`).toBe(byHost);
              else if (byClass) expect(byHost, `${f.code} prunes the class of host ${h}`).toBe(true);
            }
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("a listed replica is kept exactly when no filter refuses its host (cordoned hosts keep theirs)", () => {
    fc.assert(
      fc.property(problemArb, (p) => {
        const engine = new PlacementEngine(p);
        const { st, ctx } = engine;
        for (let s = 0; s < st.nServers; s++) {
          ctx.prepare(s);
          for (let h = 0; h < st.nHosts; h++) {
            ctx.keeping = true;
            const failure = firstFailure(ctx, h);
            ctx.keeping = false;
            // keepsOn answers for hosts whose state keeps replicas; the state filters are asked once per host before it.
            if (failure >= 0 && FILTERS.find((f) => R[f.code] === failure)!.kind === "state") continue;
            expect(ctx.keepsOn(h), `server ${s} on host ${h}`).toBe(failure < 0);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("hosts take new replicas (class heaps, binpack's host list, the exact search) exactly when no state filter refuses them", () => {
    const stateFilters = FILTERS.filter((f) => f.kind === "state");
    const states = ["ready", "cordoned", "draining", "down"] as const;
    fc.assert(
      fc.property(problemArb, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...states)), { maxLength: 4 }), (p, changes) => {
        const engine = new PlacementEngine(p);
        engine.placePending();
        const { st, ctx, classes } = engine;
        const check = () => {
          for (let h = 0; h < st.nHosts; h++) {
            ctx.keeping = false;
            const refused = stateFilters.some((f) => f.rejects(ctx, h));
            // A cordoned host keeps what it runs but takes nothing new, whatever keeping says.
            ctx.keeping = true;
            expect(ctx.takesNewReplicas(h), `host ${h}`).toBe(!refused);
            ctx.keeping = false;
            expect(classes.hostClass[h]! >= 0, `host ${h} filed in a class`).toBe(!refused && !st.isClosed(h));
          }
        };
        check();
        // State changes re-file hosts through refresh, which asks the table once per host state.
        engine.setHostStates(changes.map(([i, state]) => ({ host: p.hosts[i % p.hosts.length]!.id, state })));
        check();
      }),
      { numRuns: RUNS },
    );
  });

  it("group verdicts depend on a server's tenant only through its group profile (what their memos are keyed by)", () => {
    fc.assert(
      fc.property(problemArb, (p) => {
        const { st, ctx } = new PlacementEngine(p);
        const verdicts = (s: number) => {
          ctx.prepareGroups(s);
          return st.groups.list.map((_, g) => ctx.groupAccepts(g));
        };
        const zonesOf = (s: number) => [...st.zoneList.subarray(st.zoneStart[s]!, st.zoneStart[s + 1]!)].join();
        for (let a = 0; a < st.nServers; a++)
          for (let b = a + 1; b < st.nServers; b++) {
            if (zonesOf(a) !== zonesOf(b) || st.groupProfile[st.serverTenant[a]!] !== st.groupProfile[st.serverTenant[b]!]) continue;
            expect(verdicts(b), `servers ${a} and ${b}`).toEqual(verdicts(a));
          }
      }),
      { numRuns: RUNS },
    );
  });
});
