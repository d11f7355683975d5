import { describe, expect, it } from "vitest";
import { placeReplicas } from "./place";
import { ClusterState } from "./state";
import { host, problem, server } from "./testing";

describe("resource amounts", () => {
  it("are stored as int32 only when every amount is whole and all demand together fits (checked while reading hosts and servers)", () => {
    const cases = [
      [problem({ hosts: [host("x")], stateServers: [server("a")] }), Int32Array],
      [problem({ hosts: [host("x", { cpuMillis: 1000.5 })], stateServers: [server("a")] }), Float64Array],
      [problem({ hosts: [host("x")], stateServers: [server("a", { memoryMiB: 0.5 })] }), Float64Array],
      [problem({ hosts: [host("x")], stateServers: [server("a", { replicas: 3, cpuMillis: 2 ** 30 })] }), Float64Array],
      [problem({ hosts: [host("x", { memoryMiB: 2 ** 31 })], stateServers: [server("a")] }), Float64Array],
      [problem({ hosts: [host("x", { cpuMillis: -1 })], stateServers: [server("a")] }), Float64Array],
    ] as const;
    for (const [p, expected] of cases) {
      const st = new ClusterState(p);
      for (const amounts of [st.capCpu, st.capMem, st.freeCpu, st.freeMem, st.serverCpu, st.serverMem])
        expect(amounts).toBeInstanceOf(expected);
      expect([...st.capCpu, ...st.capMem]).toEqual([...p.hosts.map((h) => h.cpuMillis), ...p.hosts.map((h) => h.memoryMiB)]);
      expect([...st.serverCpu]).toEqual(p.stateServers.map((s) => s.cpuMillis));
    }
  });

  it("fractional amounts (in-process callers) place as exactly as whole ones", () => {
    const p = problem({
      hosts: [host("x", { cpuMillis: 1000.5, maxReplicas: 1 }), host("y", { cpuMillis: 1000.5, maxReplicas: 1 })],
      stateServers: [server("fits", { cpuMillis: 1000.25 }), server("too-big", { cpuMillis: 1000.75 })],
    });
    const r = placeReplicas(p);
    expect(r.placements.map((x) => x.stateServer)).toEqual(["fits"]);
    expect(r.unplaced[0]).toMatchObject({ stateServer: "too-big", reasons: { "insufficient-cpu": 2 } });
  });
});
