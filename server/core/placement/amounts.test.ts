import { describe, expect, it } from "vitest";
import { amountsArrayFor } from "./amounts";
import { placeReplicas } from "./place";
import { ClusterState } from "./state";
import { host, problem, server } from "./testing";

describe("resource amounts", () => {
  it("are stored as int32 only when every amount is whole and all demand together fits", () => {
    expect(amountsArrayFor(problem({ hosts: [host("x")], stateServers: [server("a")] }))).toBe(Int32Array);
    expect(amountsArrayFor(problem({ hosts: [host("x", { cpuMillis: 1000.5 })], stateServers: [server("a")] }))).toBe(Float64Array);
    expect(amountsArrayFor(problem({ stateServers: [server("a", { memoryMiB: 0.5 })] }))).toBe(Float64Array);
    expect(amountsArrayFor(problem({ stateServers: [server("a", { replicas: 3, cpuMillis: 2 ** 30 })] }))).toBe(Float64Array);
    expect(amountsArrayFor(problem({ hosts: [host("x", { memoryMiB: 2 ** 31 })] }))).toBe(Float64Array);
  });

  it("ClusterState stores them in the array amountsArrayFor picks (checked while reading hosts and servers)", () => {
    const cases = [
      problem({ hosts: [host("x")], stateServers: [server("a")] }),
      problem({ hosts: [host("x", { cpuMillis: 1000.5 })], stateServers: [server("a")] }),
      problem({ hosts: [host("x")], stateServers: [server("a", { memoryMiB: 0.5 })] }),
      problem({ hosts: [host("x")], stateServers: [server("a", { replicas: 3, cpuMillis: 2 ** 30 })] }),
      problem({ hosts: [host("x", { memoryMiB: 2 ** 31 })], stateServers: [server("a")] }),
    ];
    for (const p of cases) {
      const st = new ClusterState(p);
      for (const amounts of [st.capCpu, st.capMem, st.freeCpu, st.freeMem, st.serverCpu, st.serverMem])
        expect(amounts).toBeInstanceOf(amountsArrayFor(p));
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
