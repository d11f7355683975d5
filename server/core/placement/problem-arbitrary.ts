/** Random placement problems for property tests (fast-check); test-only, like testing.ts. */
import fc from "fast-check";
import type { PlacementHost, PlacementProblem, PlacementRule, PlacementStateServer } from "./types";

const tenants = ["t1", "t2", "t3", "t4"];
const envs = ["e1", "e2", "e3", "e4", "e5"];

const hostArb = fc.record({
  zone: fc.constantFrom("z1", "z2", "z3"),
  failureDomain: fc.constantFrom("a", "b", "c"),
  cpuMillis: fc.integer({ min: 0, max: 8 }).map((x) => x * 500),
  memoryMiB: fc.integer({ min: 0, max: 8 }).map((x) => x * 1024),
  maxReplicas: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
  state: fc.constantFrom("ready", "ready", "ready", "ready", "cordoned", "draining", "down") as fc.Arbitrary<PlacementHost["state"]>,
  dedicatedTenant: fc.option(fc.constantFrom(...tenants), { nil: undefined, freq: 6 }),
  environment: fc.option(fc.constantFrom(...envs), { nil: undefined, freq: 3 }),
});

const serverArb = fc.record({
  tenant: fc.constantFrom(...tenants),
  replicas: fc.constantFrom(1, 3, 5),
  cpuMillis: fc.constantFrom(250, 500, 1000, 2000),
  memoryMiB: fc.constantFrom(512, 1024, 2048),
  zones: fc.subarray(["z1", "z2", "z3"], { minLength: 1 }),
  isolation: fc.constantFrom("shared", "shared", "dedicated") as fc.Arbitrary<"shared" | "dedicated">,
  spread: fc.constantFrom("required", "preferred") as fc.Arbitrary<"required" | "preferred">,
  environments: fc.subarray(envs, { minLength: 1, maxLength: 2 }),
  stage: fc.option(fc.constantFrom("development", "staging", "production") as fc.Arbitrary<"development" | "staging" | "production">, {
    nil: undefined,
  }),
});

const ruleArb: fc.Arbitrary<PlacementRule> = fc.oneof(
  fc.record({ kind: fc.constant("stageSeparation" as const) }),
  fc
    .tuple(fc.constantFrom(...tenants), fc.constantFrom(...tenants))
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => ({ kind: "neverShare" as const, tenants: [a, b] as [string, string] })),
  fc.record({ kind: fc.constant("zoneReserved" as const), zone: fc.constantFrom("z1", "z2", "z3"), tenants: fc.subarray(tenants) }),
);

/** Random problems, including random (often invalid) existing placements and an acyclic hostedBy graph. */
export const problemArb: fc.Arbitrary<PlacementProblem> = fc
  .record({
    strategy: fc.constantFrom("spread", "binpack") as fc.Arbitrary<"spread" | "binpack">,
    hosts: fc.array(hostArb, { minLength: 1, maxLength: 12 }),
    servers: fc.array(serverArb, { minLength: 1, maxLength: 8 }),
    rules: fc.array(ruleArb, { maxLength: 3 }),
    hostedBy: fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 })), { maxLength: 4 }),
    existingSeed: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 20 }),
  })
  .map(({ strategy, hosts, servers, rules, hostedBy, existingSeed }) => {
    const hs = hosts.map((h, i) => ({ ...h, id: `h${i}` }) as PlacementHost);
    const ss = servers.map((s, i) => ({ ...s, id: `s${i}` }) as PlacementStateServer);
    const seen = new Set<string>();
    const existing = [];
    for (const [a, b, c] of existingSeed) {
      const s = ss[a % ss.length]!;
      const ordinal = b % s.replicas;
      if (seen.has(`${s.id}#${ordinal}`)) continue;
      seen.add(`${s.id}#${ordinal}`);
      existing.push({ stateServer: s.id, ordinal, host: hs[c % hs.length]!.id });
    }
    const edges = hostedBy.filter(([a, b]) => a > b).map(([a, b]) => ({ environment: envs[a]!, hostEnvironment: envs[b]! }));
    return { strategy, hosts: hs, stateServers: ss, existing, rules, hostedBy: edges };
  });
