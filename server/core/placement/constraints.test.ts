import { describe, expect, it } from "vitest";
import { placeReplicas } from "./place";
import type { ReasonCode } from "./reasons";
import { host, problem, server, threeDomains } from "./testing";
import type { PlacementProblem } from "./types";
import { verifyPlacement } from "./verify";

function place(p: PlacementProblem) {
  const r = placeReplicas(p);
  expect(verifyPlacement(p, r)).toEqual([]);
  return r;
}
const hostOf = (r: ReturnType<typeof place>, s: string, o = 0) => r.placements.find((p) => p.stateServer === s && p.ordinal === o)?.host;

/** One row per hard constraint: a problem where the constraint alone blocks a replica, and its reason code. */
const blocked: { name: string; p: PlacementProblem; code: ReasonCode; count: number }[] = [
  {
    name: "cordoned host takes no new replica",
    p: problem({ hosts: [host("h1", { state: "cordoned" })], stateServers: [server("s")] }),
    code: "host-cordoned",
    count: 1,
  },
  {
    name: "draining host takes no new replica",
    p: problem({ hosts: [host("h1", { state: "draining" })], stateServers: [server("s")] }),
    code: "host-draining",
    count: 1,
  },
  {
    name: "down host takes no new replica",
    p: problem({ hosts: [host("h1", { state: "down" })], stateServers: [server("s")] }),
    code: "host-down",
    count: 1,
  },
  {
    name: "zone not allowed",
    p: problem({ hosts: [host("h1", { zone: "z2" }), host("h2", { zone: "z3" })], stateServers: [server("s")] }),
    code: "zone-not-allowed",
    count: 2,
  },
  {
    name: "zone reserved for other tenants",
    p: problem({ hosts: [host("h1")], stateServers: [server("s")], rules: [{ kind: "zoneReserved", zone: "z1", tenants: ["t9"] }] }),
    code: "zone-reserved",
    count: 1,
  },
  {
    name: "host dedicated to another tenant",
    p: problem({ hosts: [host("h1", { dedicatedTenant: "t2" })], stateServers: [server("s")] }),
    code: "host-dedicated-to-other-tenant",
    count: 1,
  },
  {
    name: "never on a machine of an environment it serves",
    p: problem({ hosts: [host("h1", { environment: "env-s" })], stateServers: [server("s")] }),
    code: "serves-environment",
    count: 1,
  },
  {
    name: "hosting cycle over two hops",
    p: problem({
      hosts: [host("h1", { environment: "B" })],
      stateServers: [server("s", { environments: ["A"] })],
      hostedBy: [
        { environment: "B", hostEnvironment: "C" },
        { environment: "C", hostEnvironment: "A" },
      ],
    }),
    code: "hosting-cycle",
    count: 1,
  },
  {
    name: "anti-affinity: one host, two replicas",
    p: problem({ hosts: [host("h1")], stateServers: [server("s", { replicas: 2 })] }),
    code: "replica-already-on-host",
    count: 1,
  },
  {
    name: "required spread: a domain holds at most ceil(r / domains)",
    p: problem({
      hosts: [
        host("a1", { failureDomain: "a" }),
        host("a2", { failureDomain: "a" }),
        host("a3", { failureDomain: "a" }),
        host("b1", { failureDomain: "b", cpuMillis: 100 }),
      ],
      stateServers: [server("s", { replicas: 3, spread: "required" })],
    }),
    code: "spread-domain-full",
    count: 1,
  },
  {
    name: "dedicated server shares no host with another tenant",
    p: problem({
      hosts: [host("h1")],
      stateServers: [server("other", { tenant: "t2" }), server("s", { isolation: "dedicated" })],
      existing: [{ stateServer: "other", ordinal: 0, host: "h1" }],
    }),
    code: "dedicated-isolation",
    count: 1,
  },
  {
    name: "shared server avoids a host with another tenant's dedicated server",
    p: problem({
      hosts: [host("h1")],
      stateServers: [server("ded", { tenant: "t2", isolation: "dedicated" }), server("s")],
      existing: [{ stateServer: "ded", ordinal: 0, host: "h1" }],
    }),
    code: "dedicated-isolation",
    count: 1,
  },
  {
    name: "never-share tenant pair",
    p: problem({
      hosts: [host("h1")],
      stateServers: [server("x", { tenant: "t2" }), server("s")],
      existing: [{ stateServer: "x", ordinal: 0, host: "h1" }],
      rules: [{ kind: "neverShare", tenants: ["t1", "t2"] }],
    }),
    code: "never-share",
    count: 1,
  },
  {
    name: "stage separation",
    p: problem({
      hosts: [host("h1")],
      stateServers: [server("stg", { tenant: "t2", stage: "staging" }), server("s", { stage: "production" })],
      existing: [{ stateServer: "stg", ordinal: 0, host: "h1" }],
      rules: [{ kind: "stageSeparation" }],
    }),
    code: "stage-separation",
    count: 1,
  },
  {
    name: "stage separation: development counts as non-production",
    p: problem({
      hosts: [host("h1")],
      stateServers: [server("dev", { tenant: "t2", stage: "development" }), server("s", { stage: "production" })],
      existing: [{ stateServer: "dev", ordinal: 0, host: "h1" }],
      rules: [{ kind: "stageSeparation" }],
    }),
    code: "stage-separation",
    count: 1,
  },
  {
    name: "replica slots",
    p: problem({ hosts: [host("h1", { maxReplicas: 0 })], stateServers: [server("s")] }),
    code: "insufficient-slots",
    count: 1,
  },
  { name: "cpu", p: problem({ hosts: [host("h1", { cpuMillis: 499 })], stateServers: [server("s")] }), code: "insufficient-cpu", count: 1 },
  {
    name: "memory",
    p: problem({ hosts: [host("h1", { memoryMiB: 1023 })], stateServers: [server("s")] }),
    code: "insufficient-memory",
    count: 1,
  },
];

describe("hard constraints, one reason code each", () => {
  it.each(blocked)("$name -> $code", ({ p, code, count }) => {
    const r = place(p);
    const u = r.unplaced.find((x) => x.stateServer === "s" && x.ordinal === p.stateServers.find((s) => s.id === "s")!.replicas - 1);
    expect(u).toBeDefined();
    expect(u!.reasons[code]).toBe(count);
    expect(u!.message).toMatch(/^0\/\d+ hosts available: /);
  });

  it("the same problems place once the blocker is gone", () => {
    const r = place(problem({ hosts: [host("h1")], stateServers: [server("s")] }));
    expect(r.unplaced).toEqual([]);
  });
});

describe("diagnosis", () => {
  it("counts every host once, under its first failing filter", () => {
    const hosts = [
      ...Array.from({ length: 25 }, (_, i) => host(`z${i}`, { zone: "z9" })),
      ...Array.from({ length: 12 }, (_, i) => host(`m${i}`, { memoryMiB: 100 })),
      ...Array.from({ length: 3 }, (_, i) => host(`c${i}`, { state: "cordoned" })),
    ];
    const r = place(problem({ hosts, stateServers: [server("s")] }));
    expect(r.unplaced[0]!.reasons).toEqual({ "host-cordoned": 3, "zone-not-allowed": 25, "insufficient-memory": 12 });
    expect(r.unplaced[0]!.message).toBe("0/40 hosts available: 25 zone not granted, 12 insufficient memory, 3 cordoned");
  });
});

describe("strategies and stability", () => {
  it("spread picks the least loaded host, binpack the most loaded", () => {
    const hosts = [host("h1"), host("h2")];
    const stateServers = [server("old"), server("s")];
    const existing = [{ stateServer: "old", ordinal: 0, host: "h1" }];
    expect(hostOf(place(problem({ hosts, stateServers, existing })), "s")).toBe("h2");
    expect(hostOf(place(problem({ strategy: "binpack", hosts, stateServers, existing })), "s")).toBe("h1");
  });

  it("ties go to the lowest host id, whatever the input order", () => {
    const r = place(problem({ hosts: [host("h3"), host("h1"), host("h2")], stateServers: [server("s")] }));
    expect(hostOf(r, "s")).toBe("h1");
  });

  it("preferred spread uses distinct failure domains when it can", () => {
    const r = place(
      problem({
        hosts: [host("a1", { failureDomain: "a" }), host("a2", { failureDomain: "a" }), host("b1", { failureDomain: "b" })],
        stateServers: [server("s", { replicas: 2 })],
      }),
    );
    expect(new Set(r.placements.map((p) => p.host.slice(0, 1)))).toEqual(new Set(["a", "b"]));
  });

  it("preferred spread still places when domains run out", () => {
    const r = place(
      problem({
        hosts: [host("a1", { failureDomain: "a" }), host("a2", { failureDomain: "a" })],
        stateServers: [server("s", { replicas: 2 })],
      }),
    );
    expect(r.unplaced).toEqual([]);
  });

  it("required spread over 3 domains puts one replica of 3 in each", () => {
    const hosts = [...threeDomains(), host("h-a2", { failureDomain: "fd-a" })];
    const r = place(problem({ hosts, stateServers: [server("s", { replicas: 3, spread: "required" })] }));
    expect(r.placements.map((p) => p.host).sort()).toEqual(["h-a", "h-b", "h-c"]);
  });

  it("cordoned hosts keep their replicas; draining and down hosts lose theirs", () => {
    const hosts = [host("c", { state: "cordoned" }), host("d", { state: "draining" }), host("x", { state: "down" }), host("r")];
    const stateServers = [server("s1"), server("s2"), server("s3", { tenant: "t1" })];
    const existing = [
      { stateServer: "s1", ordinal: 0, host: "c" },
      { stateServer: "s2", ordinal: 0, host: "d" },
      { stateServer: "s3", ordinal: 0, host: "x" },
    ];
    const r = place(problem({ hosts, stateServers, existing }));
    expect(hostOf(r, "s1")).toBe("c");
    expect(r.moved).toEqual([
      { stateServer: "s2", ordinal: 0, from: "d", to: "r" },
      { stateServer: "s3", ordinal: 0, from: "x", to: "r" },
    ]);
  });

  it("an existing placement that breaks a hard constraint is re-placed, not kept", () => {
    const hosts = [host("h1", { cpuMillis: 600 }), host("h2")];
    const stateServers = [server("a"), server("b")];
    const existing = [
      { stateServer: "a", ordinal: 0, host: "h1" },
      { stateServer: "b", ordinal: 0, host: "h1" },
    ];
    const r = place(problem({ hosts, stateServers, existing }));
    expect(r.moved).toEqual([{ stateServer: "b", ordinal: 0, from: "h1", to: "h2" }]);
  });

  it("hosted mode: two servers never end up hosting each other's environments", () => {
    const p = problem({
      hosts: [host("b1", { environment: "B" }), host("a1", { environment: "A" })],
      stateServers: [server("sa", { environments: ["A"] }), server("sb", { environments: ["B"] })],
    });
    const r = place(p);
    expect(hostOf(r, "sa")).toBe("b1");
    expect(r.unplaced.map((u) => [u.stateServer, u.reasons])).toEqual([["sb", { "serves-environment": 1, "hosting-cycle": 1 }]]);
  });

  it("a dedicated host takes only its tenant", () => {
    const r = place(
      problem({
        hosts: [host("h1", { dedicatedTenant: "t2" }), host("h2")],
        stateServers: [server("mine", { tenant: "t2" }), server("s")],
      }),
    );
    expect(hostOf(r, "s")).toBe("h2");
  });
});
