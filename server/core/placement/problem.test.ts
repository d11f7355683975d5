import { describe, expect, it } from "vitest";
import { parsePlacementProblem } from "./problem";
import { host, problem, server } from "./testing";

const errorsOf = (input: unknown) => {
  const r = parsePlacementProblem(input);
  return r.ok ? [] : r.errors;
};

describe("parsePlacementProblem", () => {
  it("accepts a valid problem and defaults strategy and existing", () => {
    const r = parsePlacementProblem({ hosts: [host("h1")], stateServers: [server("s")] });
    expect(r.ok && r.problem.strategy).toBe("spread");
    expect(r.ok && r.problem.existing).toEqual([]);
  });

  it.each([
    [null, "(root): expected a JSON object"],
    [{ ...problem(), strategy: "fast" }, 'strategy: expected one of "spread", "binpack"'],
    [problem({ hosts: [host("h1"), host("h2", { cpuMillis: -1 })] }), "hosts[1].cpuMillis: expected a non-negative integer"],
    [problem({ hosts: [host("h1", { memoryMiB: 1.5 })] }), "hosts[0].memoryMiB: expected a non-negative integer"],
    [
      problem({ hosts: [{ ...host("h1"), state: "gone" as never }] }),
      'hosts[0].state: expected one of "ready", "cordoned", "draining", "down"',
    ],
    [problem({ stateServers: [server("s", { replicas: 0 })] }), "stateServers[0].replicas: expected a positive integer"],
    [problem({ stateServers: [server("s", { zones: "z1" as never })] }), "stateServers[0].zones: expected an array of zone ids"],
    [problem({ hosts: [host("h1"), host("h1")] }), 'hosts[1].id: duplicate host id "h1"'],
    [
      problem({ stateServers: [server("s")], existing: [{ stateServer: "nope", ordinal: 0, host: "h" }] }),
      'existing[0].stateServer: unknown state server "nope"',
    ],
    [problem({ rules: [{ kind: "neverShare", tenants: ["a"] as never }] }), "rules[0].tenants: expected two tenant ids"],
    [problem({ rules: [{ kind: "other" } as never] }), 'rules[0].kind: expected kind "neverShare", "stageSeparation" or "zoneReserved"'],
    [
      problem({
        hostedBy: [
          { environment: "a", hostEnvironment: "b" },
          { environment: "b", hostEnvironment: "a" },
        ],
      }),
      "hostedBy: the hosted-by graph has a cycle: a -> b -> a",
    ],
  ])("%# names the field", (input, message) => {
    expect(errorsOf(input)).toContain(message);
  });
});
