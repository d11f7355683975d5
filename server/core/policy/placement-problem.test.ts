import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planDrain } from "../placement";
import { planReconcile, type ReconcilePlan } from "../reconcile";
import type { FleetSnapshot } from "./fleet-snapshot";
import { placementProblemOf, reconcileInputOf, slotHolders } from "./placement-problem";
import type { PolicyRule } from "./rules";

const RUNS = Number(process.env.FC_RUNS ?? 200);
// Generous: a shared 2-core machine under load runs the 200 fleets in seconds, not milliseconds.
const NOW = 1_000_000;
const PASS = { now: NOW, heartbeatIntervalMs: 1000, missedHeartbeats: 3 };
const tenants = ["t1", "t2", "t3"];
const stages = ["development", "staging", "production"] as const;

type Snapshot = FleetSnapshot;
const rule = (kind: "stage_separation" | "never_share", params: object): PolicyRule =>
  ({ id: kind, name: kind, kind, enabled: true, builtIn: false, params }) as PolicyRule;

/** Random fleets: hosts of every state (some machines of environments, pools or not), shared and owned servers, removing environments. */
const snapshotArb: fc.Arbitrary<Snapshot> = fc
  .record({
    hosts: fc.array(
      fc.record({
        zone: fc.constantFrom("z1", "z2"),
        domain: fc.constantFrom("a", "b", "c"),
        cpu: fc.integer({ min: 1, max: 6 }).map((x) => x * 500),
        slots: fc.integer({ min: 1, max: 5 }),
        state: fc.constantFrom("ready", "ready", "ready", "cordoned", "draining", "down"),
        dedicated: fc.option(fc.constantFrom(...tenants), { nil: null, freq: 6 }),
        machineOf: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null, freq: 2 }),
      }),
      { minLength: 2, maxLength: 10 },
    ),
    servers: fc.array(
      fc.record({
        owner: fc.option(fc.constantFrom(...tenants), { nil: null }),
        tenancy: fc.constantFrom("shared", "shared", "dedicated"),
        stage: fc.option(fc.constantFrom(...stages), { nil: null }),
        zone: fc.constantFrom("z1", "z2"),
        replicas: fc.constantFrom(1, 3),
        cpu: fc.constantFrom(250, 500, 1000),
        spread: fc.constantFrom("required", "preferred"),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    environments: fc.array(
      fc.record({
        tenant: fc.constantFrom(...tenants),
        stage: fc.constantFrom(...stages),
        server: fc.nat(),
        removing: fc.boolean(),
        pool: fc.constantFrom(false, false, true),
      }),
      { minLength: 5, maxLength: 5 },
    ),
    rules: fc.subarray([rule("stage_separation", {}), rule("never_share", { tenantIds: ["t1", "t2"] })]),
  })
  .map(({ hosts, servers, environments, rules }) => ({
    tenants: tenants.map((id) => ({ id, name: id })),
    zones: [
      { id: "z1", name: "z1" },
      { id: "z2", name: "z2" },
    ],
    grants: [],
    environments: environments.map((e, i) => ({
      id: `e${i}`,
      name: `e${i}`,
      tenantId: e.tenant,
      stage: e.stage,
      haLevel: 1,
      zoneId: "z1",
      stateServerId: `s${e.server % servers.length}`,
      status: e.removing ? ("removing" as const) : ("running" as const),
      isHostPool: e.pool,
    })),
    stateServers: servers.map((s, i) => ({
      id: `s${i}`,
      name: `s${i}`,
      tenantId: s.owner,
      tenancy: s.tenancy as "shared" | "dedicated",
      stage: s.stage,
      zoneId: s.zone,
      replicas: s.replicas,
      cpuMillis: s.cpu,
      memoryMiB: 256,
      spread: s.spread as "required" | "preferred",
    })),
    replicas: [],
    hosts: hosts.map((h, i) => ({
      id: `h${i}`,
      name: `h${i}`,
      zoneId: h.zone,
      failureDomain: h.domain,
      cpuMillis: h.cpu,
      memoryMiB: 8192,
      maxReplicas: h.slots,
      state: h.state as Snapshot["hosts"][number]["state"],
      dedicatedTenantId: h.dedicated,
      environmentId: h.machineOf === null ? null : `e${h.machineOf}`,
      lastHeartbeatAt: NOW,
    })),
    rules,
  }));

/** The fleet after the controller's plan ran and every started replica runs (what the agents would report). */
function applied(snapshot: Snapshot, plan: ReconcilePlan, pass: number): Snapshot {
  const gone = new Set([...plan.remove, ...plan.stop].map((r) => r.replica));
  const assigned = new Map(plan.place.flatMap((p) => (p.replica ? [[p.replica, p.host] as const] : [])));
  const replicas = snapshot.replicas
    .filter((r) => !gone.has(r.id))
    .map((r) => (assigned.has(r.id) ? { ...r, hostId: assigned.get(r.id)!, state: "running" as const } : r));
  plan.place.forEach((p, i) => {
    if (!p.replica)
      replicas.push({
        id: `r${pass}-${i}`,
        stateServerId: p.stateServer,
        ordinal: p.ordinal,
        hostId: p.host,
        state: "running",
        createdAt: pass,
      });
  });
  plan.unplaced.forEach((u, i) => {
    if (!u.replica)
      replicas.push({
        id: `u${pass}-${i}`,
        stateServerId: u.stateServer,
        ordinal: u.ordinal,
        hostId: null,
        state: "pending",
        createdAt: pass,
      });
  });
  replicas.sort((a, b) => (a.stateServerId < b.stateServerId ? -1 : a.stateServerId > b.stateServerId ? 1 : a.ordinal - b.ordinal));
  return { ...snapshot, replicas };
}

/** Runs the controller until it has nothing left to place, move or retire. */
function converged(snapshot: Snapshot): Snapshot {
  let s = snapshot;
  for (let pass = 1; pass <= 6; pass++) {
    const plan = planReconcile(reconcileInputOf(s), PASS);
    if (!plan.place.length && !plan.stop.length && !plan.remove.length) return s;
    s = applied(s, plan, pass);
  }
  return s;
}

const withHost = (s: Snapshot, id: string, state: "draining") => ({
  ...s,
  hosts: s.hosts.map((h) => (h.id === id ? { ...h, state } : h)),
});

describe("one problem builder for the controller and the previews", () => {
  it("a drain preview names exactly the moves the controller's first pass makes once the host is draining", () => {
    fc.assert(
      fc.property(snapshotArb, fc.nat(), (raw, pick) => {
        const fleet = converged(raw);
        const ready = fleet.hosts.filter((h) => h.state === "ready");
        fc.pre(ready.length > 0);
        const host = ready[pick % ready.length]!.id;
        const held = slotHolders(fleet).filter((r) => r.hostId === host);
        const preview = planDrain(placementProblemOf(fleet), host);
        const pass = planReconcile(reconcileInputOf(withHost(fleet, host, "draining")), PASS);
        const previewed = preview.moves.map((m) => `${m.stateServer}#${m.ordinal}->${m.to}`).sort();
        const controller = pass.place
          .filter((p) => p.reason === "drain" && p.from === host)
          .map((p) => `${p.stateServer}#${p.ordinal}->${p.host}`);
        expect(previewed).toEqual(controller.sort());
        // Every replica the host holds is either moved or reported blocked, in both.
        expect(preview.moves.length + preview.blocked.length).toBe(held.length);
        // Nothing else moves in the controller's pass on a converged fleet: the preview is the whole story of moves.
        // (A drain can still let a pending replica in: a failure domain whose only ready host drains stops counting
        // toward a required spread. That placement is new, not a move, and the preview does not claim it.)
        expect(pass.place.filter((p) => p.from !== undefined && p.from !== host)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it("the problem's existing placements are the replicas the controller keeps where they are", () => {
    fc.assert(
      fc.property(snapshotArb, (raw) => {
        const fleet = converged(raw);
        const existing = placementProblemOf(fleet).existing.map((e) => `${e.stateServer}#${e.ordinal}@${e.host}`);
        const input = reconcileInputOf(fleet);
        const plan = planReconcile(input, PASS);
        const retired = new Set([...plan.stop, ...plan.remove].map((r) => r.replica));
        const live = new Set(input.hosts.filter((h) => h.state !== "down").map((h) => h.id));
        const kept = fleet.replicas
          .filter((r) => r.hostId && live.has(r.hostId) && r.state !== "stopping" && !retired.has(r.id))
          .map((r) => `${r.stateServerId}#${r.ordinal}@${r.hostId}`);
        expect(existing.sort()).toEqual(kept.sort());
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it("a replica still running on a draining machine beside its replacement keeps its hosted-by edges, as in the controller's pass", () => {
    const fleet = fc.sample(snapshotArb, { numRuns: 1, seed: 7 })[0]!;
    const snapshot: Snapshot = {
      ...fleet,
      environments: fleet.environments.map((e, i) => ({ ...e, stateServerId: i === 0 ? "s0" : null, status: "running" as const })),
      stateServers: [{ ...fleet.stateServers[0]!, id: "s0", replicas: 1, zoneId: "z1" }],
      hosts: [
        { ...fleet.hosts[0]!, id: "m", zoneId: "z1", state: "draining", environmentId: "e1" },
        { ...fleet.hosts[0]!, id: "h", zoneId: "z1", state: "ready", environmentId: null },
      ],
      replicas: [
        { id: "old", stateServerId: "s0", ordinal: 0, hostId: "m", state: "running", createdAt: 1 },
        { id: "new", stateServerId: "s0", ordinal: 0, hostId: "h", state: "starting", createdAt: 2 },
      ],
    };
    expect(placementProblemOf(snapshot).hostedBy).toEqual([{ environment: "e0", hostEnvironment: "e1" }]);
    expect(placementProblemOf({ ...snapshot, replicas: snapshot.replicas.slice(0, 1) }).hostedBy).toEqual([]);
  });
});
