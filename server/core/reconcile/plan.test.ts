import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isEmptyPlan, planReconcile } from "./plan";
import type { ReconcileHost, ReconcileInput, ReconcilePlan, ReconcileReplica, ReconcileStateServer } from "./types";

const NOW = 1_000_000;
const OPTS = { now: NOW, heartbeatIntervalMs: 1000, missedHeartbeats: 3 };

const host = (id: string, fd: string, over: Partial<ReconcileHost> = {}): ReconcileHost => ({
  id,
  zone: "z",
  failureDomain: fd,
  cpuMillis: 4000,
  memoryMiB: 8192,
  maxReplicas: 8,
  state: "ready",
  lastHeartbeatAt: NOW - 500,
  acceptsReplicas: true,
  ...over,
});
const server = (id: string, replicas: number, over: Partial<ReconcileStateServer> = {}): ReconcileStateServer => ({
  id,
  tenant: "t",
  replicas,
  cpuMillis: 250,
  memoryMiB: 256,
  zone: "z",
  isolation: "shared",
  spread: "required",
  environments: [`env-${id}`],
  ...over,
});
const replica = (
  id: string,
  s: string,
  ordinal: number,
  h: string | null,
  state: ReconcileReplica["state"] = "running",
): ReconcileReplica => ({
  id,
  stateServer: s,
  ordinal,
  host: h,
  state,
  createdAt: 1,
});
const six = () => ["a", "b", "c"].flatMap((d) => [host(`h1${d}`, d), host(`h2${d}`, d)]);
const input = (over: Partial<ReconcileInput>): ReconcileInput => ({
  strategy: "spread",
  hosts: six(),
  stateServers: [],
  replicas: [],
  environments: [],
  ...over,
});

/** What the applier and the agents together do with a plan (every start succeeds). */
function apply(state: ReconcileInput, plan: ReconcilePlan, seq: { n: number }): ReconcileInput {
  const down = new Set(plan.markDown.map((m) => m.host));
  const gone = new Set([...plan.remove, ...plan.stop].map((r) => r.replica));
  const assigned = new Map(plan.place.filter((p) => p.replica).map((p) => [p.replica!, p.host]));
  const replicas = state.replicas
    .filter((r) => !gone.has(r.id))
    .map((r) => (assigned.has(r.id) ? { ...r, host: assigned.get(r.id)!, state: "running" as const } : r));
  for (const p of plan.place.filter((x) => !x.replica)) {
    replicas.push(replica(`n${seq.n++}`, p.stateServer, p.ordinal, p.host));
    replicas.at(-1)!.createdAt = seq.n;
  }
  for (const u of plan.unplaced.filter((x) => !x.replica)) replicas.push(replica(`u${seq.n++}`, u.stateServer, u.ordinal, null, "pending"));
  const statuses = new Map(plan.statuses.map((s) => [s.environment, s.to]));
  return {
    ...state,
    hosts: state.hosts.map((h) => (down.has(h.id) ? { ...h, state: "down" as const } : h)),
    replicas,
    environments: state.environments.map((e) => ({ ...e, status: statuses.get(e.id) ?? e.status })),
  };
}

function converge(start: ReconcileInput, passes = 6) {
  let state = start;
  const seq = { n: 0 };
  for (let i = 0; i < passes; i++) {
    const plan = planReconcile(state, OPTS);
    assertInvariants(state, plan);
    if (isEmptyPlan(plan)) return { state, plan, passes: i };
    state = apply(state, plan, seq);
  }
  return { state, plan: planReconcile(state, OPTS), passes };
}

function assertInvariants(state: ReconcileInput, plan: ReconcilePlan) {
  const gone = new Set([...plan.remove, ...plan.stop].map((r) => r.replica));
  const live = state.replicas.filter((r) => r.host && !gone.has(r.id) && r.state !== "stopping");
  const rows = [
    ...live.map((r) => ({ s: r.stateServer, o: r.ordinal, h: r.host! })),
    ...plan.place.map((p) => ({ s: p.stateServer, o: p.ordinal, h: p.host })),
  ];
  const seen = new Map<string, number>();
  const use = new Map<string, { cpu: number; mem: number; n: number }>();
  const servers = new Map(state.stateServers.map((s) => [s.id, s]));
  for (const r of rows) {
    // Two rows of one ordinal may coexist during a make-before-break move, never on one host.
    const k = `${r.s}@${r.h}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
    expect(seen.get(k), `two replicas of ${r.s} on ${r.h}`).toBe(1);
    const u = use.get(r.h) ?? { cpu: 0, mem: 0, n: 0 };
    const s = servers.get(r.s)!;
    use.set(r.h, { cpu: u.cpu + s.cpuMillis, mem: u.mem + s.memoryMiB, n: u.n + 1 });
  }
  for (const h of state.hosts) {
    const u = use.get(h.id);
    if (!u) continue;
    expect(u.cpu).toBeLessThanOrEqual(h.cpuMillis);
    expect(u.mem).toBeLessThanOrEqual(h.memoryMiB);
    expect(u.n).toBeLessThanOrEqual(h.maxReplicas ?? Infinity);
  }
}

describe("planReconcile", () => {
  it("places every replica of a new server on distinct failure domains", () => {
    const plan = planReconcile(input({ stateServers: [server("s", 3)] }), OPTS);
    expect(plan.place).toHaveLength(3);
    expect(new Set(plan.place.map((p) => p.host.slice(-1))).size).toBe(3);
    expect(plan.place.every((p) => p.reason === "new")).toBe(true);
  });

  it("is empty on a converged fleet", () => {
    const { plan, passes } = converge(
      input({ stateServers: [server("s", 3), server("t", 1)], environments: [{ id: "env-s", stateServer: "s", status: "pending" }] }),
    );
    expect(isEmptyPlan(plan)).toBe(true);
    expect(passes).toBeLessThanOrEqual(2);
  });

  it("marks a host down after 3 missed heartbeats and re-places its replicas elsewhere", () => {
    const hosts = six();
    hosts[0]!.lastHeartbeatAt = NOW - 3_500;
    const plan = planReconcile(
      input({
        hosts,
        stateServers: [server("s", 3)],
        replicas: [replica("r0", "s", 0, "h1a"), replica("r1", "s", 1, "h1b"), replica("r2", "s", 2, "h1c")],
        environments: [{ id: "env-s", stateServer: "s", status: "running" }],
      }),
      OPTS,
    );
    expect(plan.markDown).toEqual([{ host: "h1a", lastHeartbeatAt: NOW - 3_500 }]);
    expect(plan.remove).toMatchObject([{ replica: "r0", reason: "host-down" }]);
    expect(plan.place).toMatchObject([{ stateServer: "s", ordinal: 0, host: "h2a", reason: "failover", from: "h1a" }]);
    expect(plan.statuses).toMatchObject([{ environment: "env-s", to: "degraded", running: 2, total: 3 }]);
  });

  it("does not mark a host down after 2 missed heartbeats", () => {
    const hosts = six();
    hosts[0]!.lastHeartbeatAt = NOW - 2_500;
    expect(planReconcile(input({ hosts }), OPTS).markDown).toEqual([]);
  });

  it("drains make-before-break: the old replica stops only once the new one runs", () => {
    const hosts = six();
    hosts[0]!.state = "draining";
    const base = input({
      hosts,
      stateServers: [server("s", 3)],
      replicas: [replica("r0", "s", 0, "h1a"), replica("r1", "s", 1, "h1b"), replica("r2", "s", 2, "h1c")],
    });
    const first = planReconcile(base, OPTS);
    expect(first.stop).toEqual([]);
    expect(first.place).toMatchObject([{ ordinal: 0, host: "h2a", reason: "drain", from: "h1a" }]);
    const starting = { ...base, replicas: [...base.replicas, { ...replica("n0", "s", 0, "h2a", "starting"), createdAt: 2 }] };
    const second = planReconcile(starting, OPTS);
    expect(second.place).toEqual([]);
    expect(second.stop).toEqual([]);
    const running = { ...base, replicas: [...base.replicas, { ...replica("n0", "s", 0, "h2a"), createdAt: 2 }] };
    expect(planReconcile(running, OPTS).stop).toMatchObject([{ replica: "r0", reason: "moved" }]);
  });

  it("a replica leaving a draining host keeps its hosting edge while its replacement starts", () => {
    // "s" serves e2 and still runs on m1, a machine of e1 (e2 -> e1), while its replacement starts on h.
    // "p" serves e1; its only free host is m2, a machine of e2 (e1 -> e2): that would close a cycle.
    const hosts = [
      host("m1", "a", { environment: "e1", state: "draining" }),
      host("m2", "b", { environment: "e2" }),
      host("h", "c", { maxReplicas: 1 }),
    ];
    const plan = planReconcile(
      input({
        hosts,
        stateServers: [server("s", 1, { environments: ["e2"] }), server("p", 1, { environments: ["e1"] })],
        replicas: [replica("old", "s", 0, "m1"), { ...replica("new", "s", 0, "h", "starting"), createdAt: 2 }],
      }),
      OPTS,
    );
    expect(plan.place).toEqual([]);
    expect(plan.unplaced).toMatchObject([{ stateServer: "p", reasons: { "hosting-cycle": 1 } }]);
  });

  it("cordoned hosts keep their replicas and take no new ones", () => {
    const hosts = six().map((h) => (h.id === "h1a" ? { ...h, state: "cordoned" as const } : h));
    const plan = planReconcile(
      input({ hosts, stateServers: [server("s", 3), server("t", 3)], replicas: [replica("r0", "s", 0, "h1a")] }),
      OPTS,
    );
    expect(plan.place.some((p) => p.host === "h1a")).toBe(false);
    expect(plan.stop).toEqual([]);
  });

  it("stops replicas beyond the HA level and duplicates of an ordinal", () => {
    const plan = planReconcile(
      input({
        stateServers: [server("s", 1)],
        replicas: [
          replica("r0", "s", 0, "h1a"),
          replica("r1", "s", 1, "h1b"),
          { ...replica("d0", "s", 0, "h2b", "starting"), createdAt: 5 },
        ],
      }),
      OPTS,
    );
    expect(plan.stop.map((s) => [s.replica, s.reason]).sort()).toEqual([
      ["d0", "duplicate"],
      ["r1", "scaled-down"],
    ]);
  });

  it("takes no new replicas on machines of an environment that is not a host pool", () => {
    const hosts = [host("m1", "a", { environment: "other", acceptsReplicas: false })];
    const plan = planReconcile(input({ hosts, stateServers: [server("s", 1)] }), OPTS);
    expect(plan.place).toEqual([]);
    expect(plan.unplaced[0]!.reasons).toEqual({ "host-cordoned": 1 });
  });

  it("derives running, degraded and unavailable from replica health", () => {
    const envs = [{ id: "env-s", stateServer: "s", status: "running" as const }];
    const reps = (n: number) => [0, 1, 2].map((o) => replica(`r${o}`, "s", o, ["h1a", "h1b", "h1c"][o]!, o < n ? "running" : "failed"));
    const status = (n: number) =>
      planReconcile(input({ stateServers: [server("s", 3)], replicas: reps(n), environments: envs }), OPTS).statuses[0]?.to ?? "running";
    expect([status(3), status(2), status(1), status(0)]).toEqual(["running", "degraded", "unavailable", "unavailable"]);
  });

  it("removes stopping replicas of a down host and never restarts them", () => {
    const hosts = six().map((h) => (h.id === "h1a" ? { ...h, state: "down" as const } : h));
    const plan = planReconcile(input({ hosts, replicas: [replica("x", "gone", 0, "h1a", "stopping")] }), OPTS);
    expect(plan.remove).toMatchObject([{ replica: "x" }]);
  });
});

describe("planReconcile properties", () => {
  const scenario = fc.record({
    servers: fc.array(fc.constantFrom(1, 3, 5), { minLength: 1, maxLength: 6 }),
    downs: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 2 }),
    drains: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 1 }),
  });

  it("never over-commits, never puts two replicas of a server on one host, and converges to an empty plan", () => {
    fc.assert(
      fc.property(scenario, ({ servers, downs, drains }) => {
        const start = input({
          stateServers: servers.map((n, i) => server(`s${i}`, n, { spread: "preferred" })),
          environments: servers.map((_, i) => ({ id: `env-s${i}`, stateServer: `s${i}`, status: "pending" as const })),
        });
        const first = converge(start);
        expect(isEmptyPlan(first.plan)).toBe(true);
        const hosts = first.state.hosts.map((h, i) =>
          downs.includes(i) ? { ...h, lastHeartbeatAt: NOW - 10_000 } : drains.includes(i) ? { ...h, state: "draining" as const } : h,
        );
        const second = converge({ ...first.state, hosts });
        expect(isEmptyPlan(second.plan)).toBe(true);
        const again = planReconcile(second.state, OPTS);
        expect(isEmptyPlan(again)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
