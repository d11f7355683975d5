import { describe, expect, it } from "vitest";
import { placeReplicas } from "./place";
import { host, problem, server } from "./testing";
import type { Placement } from "./types";
import { verifyPlacement } from "./verify";

/** The checker must catch each broken constraint, or the property tests prove nothing. */
describe("verifyPlacement catches every kind of violation", () => {
  const base = problem({
    hosts: [host("h1", { failureDomain: "a" }), host("h2", { failureDomain: "a" }), host("h3", { failureDomain: "b" })],
    stateServers: [server("s", { replicas: 2, spread: "required" }), server("x", { tenant: "t2" })],
  });
  const codes = (placements: Placement[], p = base) => verifyPlacement(p, { placements, unplaced: [] }).map((v) => v.code);

  it("accepts the engine's own result", () => {
    expect(verifyPlacement(base, placeReplicas(base))).toEqual([]);
  });
  it.each([
    [
      "anti-affinity",
      [
        { stateServer: "s", ordinal: 0, host: "h1" },
        { stateServer: "s", ordinal: 1, host: "h1" },
        { stateServer: "x", ordinal: 0, host: "h3" },
      ],
    ],
    [
      "spread",
      [
        { stateServer: "s", ordinal: 0, host: "h1" },
        { stateServer: "s", ordinal: 1, host: "h2" },
        { stateServer: "x", ordinal: 0, host: "h3" },
      ],
    ],
    [
      "missing-replica",
      [
        { stateServer: "s", ordinal: 0, host: "h1" },
        { stateServer: "s", ordinal: 1, host: "h3" },
      ],
    ],
  ] as const)("%s", (code, placements) => {
    expect(codes([...placements])).toContain(code);
  });

  it("capacity, zone, host state, isolation, never-share, stage, hosting cycle", () => {
    const p = problem({
      hosts: [host("h1", { cpuMillis: 600, environment: "B" }), host("h2", { zone: "z9", state: "down" })],
      stateServers: [
        server("a", { isolation: "dedicated", stage: "production", environments: ["A"] }),
        server("b", { tenant: "t2", stage: "staging", environments: ["B"] }),
        server("c", { tenant: "t3" }),
      ],
      hostedBy: [{ environment: "B", hostEnvironment: "A" }],
      rules: [{ kind: "neverShare", tenants: ["t1", "t2"] }, { kind: "stageSeparation" }],
    });
    const got = codes(
      [
        { stateServer: "a", ordinal: 0, host: "h1" },
        { stateServer: "b", ordinal: 0, host: "h1" },
        { stateServer: "c", ordinal: 0, host: "h2" },
      ],
      p,
    );
    for (const c of ["cpu", "isolation", "never-share", "stage-separation", "hosting-cycle", "serves-environment", "zone", "host-state"])
      expect(got).toContain(c);
  });
});
