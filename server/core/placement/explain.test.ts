import { describe, expect, it } from "vitest";
import { explainPlacement, explainUnplaced } from "./explain";
import { placeReplicas } from "./place";
import { host, problem, server } from "./testing";

describe("why here?", () => {
  const p = problem({
    hosts: [
      host("a1", { failureDomain: "a" }),
      host("b1", { failureDomain: "b" }),
      host("b2", { failureDomain: "b" }),
      host("z", { zone: "z2" }),
    ],
    stateServers: [server("s", { replicas: 2, spread: "required" }), server("busy", { tenant: "t2" })],
    existing: [{ stateServer: "busy", ordinal: 0, host: "b1" }],
  });
  const r = placeReplicas(p);

  it("gives the chosen host's score breakdown against the runner-up", () => {
    const placedOnB = r.placements.find((x) => x.stateServer === "s" && x.host.startsWith("b"))!;
    expect(placedOnB.host).toBe("b2");
    const e = explainPlacement(p, r.placements, placedOnB);
    expect(e.chosen!.host).toBe("b2");
    expect(e.runnerUp!.host).toBe("b1");
    expect(e.chosen!.total).toBeGreaterThan(e.runnerUp!.total);
    expect(e.chosen!.parts.map((x) => x.name)).toEqual(["domain-spread", "least-allocated"]);
    expect(e.reasons).toEqual({ "zone-not-allowed": 1, "replica-already-on-host": 1 });
    expect(e.message).toMatch(/^Placed on b2 scores .*; runner-up b1 scores/);
  });

  it("explains an unplaced replica with per-host reasons", () => {
    const q = problem({ hosts: [host("h1", { state: "cordoned" }), host("h2", { cpuMillis: 1 })], stateServers: [server("s")] });
    const u = explainUnplaced(q, [], { stateServer: "s", ordinal: 0 });
    expect(u.message).toBe("0/2 hosts available: 1 cordoned, 1 insufficient cpu");
  });
});
