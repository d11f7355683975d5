import { describe, expect, it } from "vitest";
import { PlacementEngine } from "./engine";
import { handleHostLoss, planDrain } from "./failover";
import { placeReplicas } from "./place";
import { assessQuorumRisk } from "./quorum-risk";
import { planRebalance } from "./rebalance";
import { host, problem, server } from "./testing";
import { verifyPlacement } from "./verify";
import { whatIf } from "./what-if";

const fleet = () =>
  problem({
    hosts: ["a", "b", "c"].flatMap((d) => [1, 2].map((i) => host(`${d}${i}`, { failureDomain: d }))),
    stateServers: [server("s1", { replicas: 3, spread: "required" }), server("s2", { replicas: 3, spread: "required", tenant: "t2" })],
  });

describe("drain", () => {
  it("re-places only the drained host's replicas, make-before-break", () => {
    const p = fleet();
    const placed = placeReplicas(p);
    const current = { ...p, existing: placed.placements };
    const victim = placed.placements[0]!.host;
    const plan = planDrain(current, victim);
    expect(plan.complete).toBe(true);
    expect(plan.moves.length).toBe(placed.placements.filter((x) => x.host === victim).length);
    for (const m of plan.moves) expect(m.from).toBe(victim);
    const first = plan.steps.findIndex((s) => s.action === "start");
    const stop = plan.steps.findIndex((s) => s.action === "stop");
    expect(first).toBeLessThan(stop);
    expect(plan.steps.filter((s) => s.action === "stop").every((s) => s.host === victim)).toBe(true);
  });

  it("a drain with nowhere to go is blocked and the replica keeps running", () => {
    const p = problem({
      hosts: [host("h1"), host("h2", { memoryMiB: 10 })],
      stateServers: [server("s")],
      existing: [{ stateServer: "s", ordinal: 0, host: "h1" }],
    });
    const plan = planDrain(p, "h1");
    expect(plan.complete).toBe(false);
    expect(plan.steps).toEqual([]);
    expect(plan.blocked[0]!.reasons).toEqual({ "host-draining": 1, "insufficient-memory": 1 });
  });

  it("is incremental: a replica waiting elsewhere for room is not placed first, so it cannot take the drained replica's place", () => {
    // h2 has room for one replica. s2 has none placed yet; a full re-run would give h2 to s2 before the drain looks.
    const p = problem({
      hosts: [host("h1"), host("h2", { maxReplicas: 1 })],
      stateServers: [server("s1"), server("s2", { tenant: "t2" })],
      existing: [{ stateServer: "s1", ordinal: 0, host: "h1" }],
    });
    const plan = planDrain(p, "h1");
    expect(plan.moves).toEqual([{ stateServer: "s1", ordinal: 0, from: "h1", to: "h2" }]);
    expect(plan.blocked).toEqual([]);
  });

  it("a replica listed on the drained host that may not stay there (it breaks a rule) leaves with the others", () => {
    const p = problem({
      hosts: [host("h1", { dedicatedTenant: "t2" }), host("h2")],
      stateServers: [server("s1")],
      existing: [{ stateServer: "s1", ordinal: 0, host: "h1" }],
    });
    expect(planDrain(p, "h1").moves).toEqual([{ stateServer: "s1", ordinal: 0, from: "h1", to: "h2" }]);
  });

  it("a replica leaving a draining host keeps its hosting edge until it is gone: nothing may close a cycle through it", () => {
    // s1 serves e2 and runs on h0, a machine of e1 (e2 -> e1). It cannot leave (h2 is e2's own machine).
    // s0 serves e1; its only host is h2, a machine of e2 (e1 -> e2): while s1 still runs on h0 that is a cycle.
    const p = problem({
      hosts: [host("h0", { environment: "e1" }), host("h2", { environment: "e2" })],
      stateServers: [server("s0", { environments: ["e1"] }), server("s1", { environments: ["e2"], tenant: "t2" })],
      existing: [{ stateServer: "s1", ordinal: 0, host: "h0" }],
    });
    const drained = { ...p, hosts: p.hosts.map((h) => (h.id === "h0" ? { ...h, state: "draining" as const } : h)) };
    // The controller's pass (the host already draining) and the incremental engine (the host starts draining).
    const pass = placeReplicas(drained);
    expect(pass.placements).toEqual([]);
    expect(pass.unplaced.find((u) => u.stateServer === "s0")!.reasons["hosting-cycle"]).toBe(1);
    const engine = new PlacementEngine(p);
    engine.setHostState("h0", "draining");
    engine.placePending();
    expect(engine.result().placements).toEqual([]);
    expect(planDrain(p, "h0").blocked.map((b) => b.stateServer)).toEqual(["s1"]);
  });
});

describe("host loss", () => {
  it("moves the lost host's replicas and nothing else", () => {
    const p = fleet();
    const engine = new PlacementEngine(p);
    engine.placePending();
    const before = engine.result().placements;
    const victim = before[0]!.host;
    const loss = handleHostLoss(engine, victim);
    const after = engine.result().placements;
    expect(loss.moved.map((m) => m.from)).toEqual(loss.moved.map(() => victim));
    const changed = after.filter((x, i) => x.host !== before[i]!.host);
    expect(changed.length).toBe(loss.moved.length);
    const downed = { ...p, hosts: p.hosts.map((h) => (h.id === victim ? { ...h, state: "down" as const } : h)) };
    expect(verifyPlacement(downed, engine.result())).toEqual([]);
  });
});

describe("what-if", () => {
  it("losing a failure domain reports the moves and the failures, without changing the input", () => {
    const p = fleet();
    const frozen = JSON.stringify(p);
    const r = whatIf(p, { kind: "loseFailureDomain", failureDomain: "a" });
    expect(JSON.stringify(p)).toBe(frozen);
    expect(r.moved.length + r.failures.length).toBe(2);
    expect(r.moved.every((m) => m.from.startsWith("a"))).toBe(true);
  });

  it("adding a 5-replica production server that does not fit lists the failures", () => {
    const r = whatIf(fleet(), { kind: "addStateServer", stateServer: server("big", { replicas: 5, spread: "required", cpuMillis: 3600 }) });
    expect(r.added).toEqual([]);
    expect(r.failures.map((f) => f.ordinal)).toEqual([0, 1, 2, 3, 4]);
    expect(r.failures[0]!.message).toBe("0/6 hosts available: 6 insufficient cpu");
    expect(r.moved).toEqual([]);
  });

  it("draining a host is the same as planDrain's moves", () => {
    const p = fleet();
    const current = { ...p, existing: placeReplicas(p).placements };
    expect(whatIf(current, { kind: "drainHost", host: "a1" }).moved).toEqual(planDrain(current, "a1").moves);
  });
});

describe("quorum risk", () => {
  it("flags single replicas, servers whose majority shares a domain, and servers already below quorum", () => {
    const p = problem({
      hosts: [
        host("a1", { failureDomain: "a" }),
        host("a2", { failureDomain: "a" }),
        host("b1", { failureDomain: "b" }),
        host("x", { state: "down" }),
      ],
      stateServers: [server("single"), server("lopsided", { replicas: 3 }), server("broken", { replicas: 3 })],
    });
    const placements = [
      { stateServer: "single", ordinal: 0, host: "a1" },
      { stateServer: "lopsided", ordinal: 0, host: "a1" },
      { stateServer: "lopsided", ordinal: 1, host: "a2" },
      { stateServer: "lopsided", ordinal: 2, host: "b1" },
      { stateServer: "broken", ordinal: 0, host: "x" },
      { stateServer: "broken", ordinal: 1, host: "a1" },
    ];
    const risks = assessQuorumRisk(p, placements);
    expect(risks.map((r) => r.stateServer)).toEqual(["broken", "single", "lopsided"]);
    expect(risks[2]!.failureDomains).toEqual(["a"]);
    expect(risks[2]!.hosts).toEqual([]);
    expect(risks[0]!.belowQuorum).toBe(true);
  });
});

describe("rebalance", () => {
  it("spread: moves replicas off the hottest host, within the rate limit, staying valid", () => {
    const p = problem({
      hosts: [host("h1"), host("h2"), host("h3")],
      stateServers: [1, 2, 3, 4].map((i) => server(`s${i}`)),
      existing: [1, 2, 3, 4].map((i) => ({ stateServer: `s${i}`, ordinal: 0, host: "h1" })),
    });
    const plan = planRebalance(p, { maxMoves: 2 });
    expect(plan.moves.length).toBe(2);
    expect(plan.after).toBeLessThan(plan.before);
    expect(verifyPlacement(p, plan.result)).toEqual([]);
  });

  it("binpack: empties lightly used hosts", () => {
    const p = problem({
      strategy: "binpack",
      hosts: [host("h1"), host("h2"), host("h3")],
      stateServers: [1, 2, 3].map((i) => server(`s${i}`)),
      existing: [1, 2, 3].map((i) => ({ stateServer: `s${i}`, ordinal: 0, host: `h${i}` })),
    });
    const plan = planRebalance(p, { maxMoves: 10 });
    expect(plan.after).toBe(1);
    expect(verifyPlacement(p, plan.result)).toEqual([]);
  });

  it("placement itself never rebalances", () => {
    const p = problem({
      hosts: [host("h1"), host("h2")],
      stateServers: [server("a"), server("b")],
      existing: [
        { stateServer: "a", ordinal: 0, host: "h1" },
        { stateServer: "b", ordinal: 0, host: "h1" },
      ],
    });
    expect(placeReplicas(p).moved).toEqual([]);
  });
});
