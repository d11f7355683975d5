import { describe, expect, it } from "vitest";
import { explainUnplaced } from "./explain";
import { placeReplicas } from "./place";
import { REASON_CODES, type ReasonCode } from "./reasons";
import { host, problem, server } from "./testing";
import type { PlacementProblem, ReplicaRef } from "./types";

/**
 * One case per reason code: a fleet where host `x` is refused for replica
 * `ref` by that filter alone (`cause`), and the same fleet without the cause
 * (`control`), where `x` takes it. The explanation path (firstFailure, host by
 * host) and the fast path (host classes and heaps) must agree on both.
 */
interface Case {
  cause: PlacementProblem;
  control: PlacementProblem;
  ref: ReplicaRef;
  /** The replica the control asks about, when not `ref`. */
  controlRef?: ReplicaRef;
}

const ref = (ordinal = 0): ReplicaRef => ({ stateServer: "new", ordinal });
const single = (over: {
  host?: Partial<Parameters<typeof host>[1]>;
  server?: Parameters<typeof server>[1];
  rules?: PlacementProblem["rules"];
}) => problem({ hosts: [host("x", over.host)], stateServers: [server("new", over.server)], rules: over.rules ?? [] });

const CASES: Record<ReasonCode, Case> = {
  "host-cordoned": { cause: single({ host: { state: "cordoned" } }), control: single({}), ref: ref() },
  "host-draining": { cause: single({ host: { state: "draining" } }), control: single({}), ref: ref() },
  "host-down": { cause: single({ host: { state: "down" } }), control: single({}), ref: ref() },
  "zone-not-allowed": { cause: single({ server: { zones: ["z2"] } }), control: single({}), ref: ref() },
  "zone-reserved": {
    cause: single({ rules: [{ kind: "zoneReserved", zone: "z1", tenants: ["t2"] }] }),
    control: single({ rules: [{ kind: "zoneReserved", zone: "z1", tenants: ["t1", "t2"] }] }),
    ref: ref(),
  },
  "host-dedicated-to-other-tenant": {
    cause: single({ host: { dedicatedTenant: "t2" } }),
    control: single({ host: { dedicatedTenant: "t1" } }),
    ref: ref(),
  },
  "serves-environment": {
    cause: single({ host: { environment: "env-new" } }),
    control: single({ host: { environment: "env-other" } }),
    ref: ref(),
  },
  "hosting-cycle": {
    // x is a machine of env-a, whose own state lives on machines of env-new: env-new's state on x would close the loop.
    cause: { ...single({ host: { environment: "env-a" } }), hostedBy: [{ environment: "env-a", hostEnvironment: "env-new" }] },
    control: { ...single({ host: { environment: "env-a" } }), hostedBy: [] },
    ref: ref(),
  },
  "replica-already-on-host": {
    cause: problem({
      hosts: [host("x")],
      stateServers: [server("new", { replicas: 2 })],
      existing: [{ stateServer: "new", ordinal: 0, host: "x" }],
    }),
    // The same server before its first replica was placed: x takes #0.
    control: problem({ hosts: [host("x")], stateServers: [server("new", { replicas: 2 })] }),
    controlRef: ref(0),
    ref: ref(1),
  },
  "spread-domain-full": {
    // Three domains eligible for three replicas: one per domain. x shares fd-a with `a`, which already holds #0.
    cause: problem({
      hosts: [
        host("a", { failureDomain: "fd-a" }),
        host("x", { failureDomain: "fd-a" }),
        host("b", { failureDomain: "fd-b", maxReplicas: 0 }),
        host("c", { failureDomain: "fd-c", maxReplicas: 0 }),
      ],
      stateServers: [server("new", { replicas: 3, spread: "required" })],
      existing: [{ stateServer: "new", ordinal: 0, host: "a" }],
    }),
    control: problem({
      hosts: [
        host("a", { failureDomain: "fd-a" }),
        host("x", { failureDomain: "fd-a" }),
        host("b", { failureDomain: "fd-b", maxReplicas: 0 }),
        host("c", { failureDomain: "fd-c", maxReplicas: 0 }),
      ],
      stateServers: [server("new", { replicas: 3, spread: "preferred" })],
      existing: [{ stateServer: "new", ordinal: 0, host: "a" }],
    }),
    ref: ref(1),
  },
  "dedicated-isolation": {
    cause: problem({
      hosts: [host("x")],
      stateServers: [server("other", { tenant: "t2" }), server("new", { isolation: "dedicated" })],
      existing: [{ stateServer: "other", ordinal: 0, host: "x" }],
    }),
    control: problem({
      hosts: [host("x")],
      stateServers: [server("other", { tenant: "t1" }), server("new", { isolation: "dedicated" })],
      existing: [{ stateServer: "other", ordinal: 0, host: "x" }],
    }),
    ref: ref(),
  },
  "never-share": {
    cause: problem({
      hosts: [host("x")],
      stateServers: [server("other", { tenant: "t2" }), server("new")],
      existing: [{ stateServer: "other", ordinal: 0, host: "x" }],
      rules: [{ kind: "neverShare", tenants: ["t1", "t2"] }],
    }),
    control: problem({
      hosts: [host("x")],
      stateServers: [server("other", { tenant: "t2" }), server("new")],
      existing: [{ stateServer: "other", ordinal: 0, host: "x" }],
      rules: [{ kind: "neverShare", tenants: ["t1", "t3"] }],
    }),
    ref: ref(),
  },
  "stage-separation": {
    cause: problem({
      hosts: [host("x")],
      stateServers: [server("other", { stage: "staging" }), server("new", { stage: "production" })],
      existing: [{ stateServer: "other", ordinal: 0, host: "x" }],
      rules: [{ kind: "stageSeparation" }],
    }),
    control: problem({
      hosts: [host("x")],
      stateServers: [server("other", { stage: "production" }), server("new", { stage: "production" })],
      existing: [{ stateServer: "other", ordinal: 0, host: "x" }],
      rules: [{ kind: "stageSeparation" }],
    }),
    ref: ref(),
  },
  "insufficient-slots": { cause: single({ host: { maxReplicas: 0 } }), control: single({ host: { maxReplicas: 1 } }), ref: ref() },
  "insufficient-cpu": { cause: single({ server: { cpuMillis: 4001 } }), control: single({ server: { cpuMillis: 4000 } }), ref: ref() },
  "insufficient-memory": { cause: single({ server: { memoryMiB: 8193 } }), control: single({ server: { memoryMiB: 8192 } }), ref: ref() },
};

const hostOf = (p: PlacementProblem, r: ReplicaRef) =>
  placeReplicas(p).placements.find((x) => x.stateServer === r.stateServer && x.ordinal === r.ordinal)?.host ?? null;

describe("each filter rejects exactly what its reason code says, in the explanation and in the fast path", () => {
  it("every reason code has a case", () => {
    expect(Object.keys(CASES).sort()).toEqual([...REASON_CODES].sort());
  });

  for (const code of REASON_CODES) {
    it(code, () => {
      const { cause, control, ref: r, controlRef = r } = CASES[code];
      // The fast path does not put the replica on x, and the explanation counts x under this code.
      expect(hostOf(cause, r)).not.toBe("x");
      expect(explainUnplaced(cause, cause.existing, r).reasons[code]).toBe(1);
      // The engine's own diagnosis of the unplaced replica counts x under this code too.
      expect(placeReplicas(cause).unplaced.find((u) => u.stateServer === r.stateServer && u.ordinal === r.ordinal)?.reasons[code]).toBe(1);
      // Without the cause, the fast path takes x and the explanation has nothing under this code.
      expect(hostOf(control, controlRef)).toBe("x");
      expect(explainUnplaced(control, control.existing, controlRef).reasons[code]).toBeUndefined();
    });

    it(`${code}: a replica already listed on x leaves it exactly when the filter says so`, () => {
      const { cause, control, ref: r, controlRef = r } = CASES[code];
      const listedOnX = (p: PlacementProblem, x: ReplicaRef) => ({
        ...p,
        existing: [...p.existing.filter((e) => e.stateServer !== x.stateServer || e.ordinal !== x.ordinal), { ...x, host: "x" }],
      });
      // The kept-replica check: a cordoned host keeps what runs there; every other cause sends the replica away.
      expect(hostOf(listedOnX(cause, r), r) === "x").toBe(code === "host-cordoned");
      expect(hostOf(listedOnX(control, controlRef), controlRef)).toBe("x");
    });
  }
});
