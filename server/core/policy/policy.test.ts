import { describe, expect, it } from "vitest";
import {
  activeRules,
  checkEnvironmentRequest,
  environmentFootprint,
  findViolations,
  isolatesProduction,
  parseRule,
  RELAXABLE_BUILT_IN_KINDS,
  planRemediation,
  toPlacementRules,
  type FleetSnapshot,
  type PolicyRule,
  type PolicyWorld,
} from "./";

const rule = (name: string, kind: PolicyRule["kind"], params: unknown, enabled = true) => {
  const parsed = parseRule({ id: name, name, kind, enabled, builtIn: false, params });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.rule;
};

const req = {
  tenantId: "acme",
  tenantName: "Acme",
  stage: "production" as const,
  haLevel: 1,
  zoneId: "z1",
  zoneName: "east",
  grantedZoneIds: ["z1"],
};

describe("rule params", () => {
  it("accepts each kind's fields and names the bad field", () => {
    expect(
      parseRule({ id: "r", name: "r", kind: "min_ha", enabled: true, builtIn: false, params: { stage: "production", minReplicas: 3 } }).ok,
    ).toBe(true);
    const bad = parseRule({
      id: "r",
      name: "r",
      kind: "min_ha",
      enabled: true,
      builtIn: false,
      params: { stage: "production", minReplicas: 2 },
    });
    expect(bad).toMatchObject({ ok: false, field: "params.minReplicas" });
    expect(
      parseRule({ id: "r", name: "r", kind: "never_share", enabled: true, builtIn: false, params: { tenantIds: ["a", "a"] } }).ok,
    ).toBe(false);
  });
  it("keeps disabled rules out but never the built-in self-hosting rule", () => {
    const rows = [
      { id: "1", name: "a", kind: "min_ha", enabled: false, builtIn: false, params: { stage: "production", minReplicas: 3 } },
      { id: "2", name: "b", kind: "no_self_hosting", enabled: false, builtIn: true, params: {} },
    ];
    expect(activeRules(rows).map((r) => r.name)).toEqual(["b"]);
  });
});

describe("checkEnvironmentRequest", () => {
  it("names the min-HA rule when production asks for too few replicas", () => {
    const v = checkEnvironmentRequest(req, [rule("prod-ha", "min_ha", { stage: "production", minReplicas: 3 })]);
    expect(v).toHaveLength(1);
    expect(v[0]!.rule).toBe("prod-ha");
    expect(v[0]!.message).toContain('"prod-ha"');
    expect(checkEnvironmentRequest({ ...req, haLevel: 3 }, [rule("prod-ha", "min_ha", { stage: "production", minReplicas: 3 })])).toEqual(
      [],
    );
    expect(
      checkEnvironmentRequest({ ...req, stage: "staging" }, [rule("prod-ha", "min_ha", { stage: "production", minReplicas: 3 })]),
    ).toEqual([]);
  });
  it("refuses an ungranted zone and a zone reserved for others", () => {
    expect(checkEnvironmentRequest({ ...req, grantedZoneIds: [] }, [])[0]!.rule).toBe("zone-grant");
    expect(checkEnvironmentRequest(req, [rule("vip", "zone_reserved", { zoneId: "z1", tenantIds: ["globex"] })])[0]!.rule).toBe("vip");
    expect(checkEnvironmentRequest(req, [rule("vip", "zone_reserved", { zoneId: "z1", tenantIds: ["acme"] })])).toEqual([]);
  });
});

it("sizes environments by stage and HA level", () => {
  expect(environmentFootprint("production", 3)).toEqual({ replicas: 3, cpuMillis: 3000, memoryMiB: 3072 });
  expect(environmentFootprint("development", 1)).toEqual({ replicas: 1, cpuMillis: 250, memoryMiB: 256 });
});

it("maps host-level rules to placement constraints", () => {
  expect(
    toPlacementRules([
      rule("s", "stage_separation", {}),
      rule("n", "never_share", { tenantIds: ["a", "b"] }),
      rule("h", "min_ha", { stage: "staging", minReplicas: 3 }),
    ]),
  ).toEqual([{ kind: "stageSeparation" }, { kind: "neverShare", tenants: ["a", "b"] }]);
});

describe("compliance", () => {
  const host = (id: string, fd: string) => ({
    id,
    name: id,
    zoneId: "z1",
    failureDomain: fd,
    cpuMillis: 8000,
    memoryMiB: 8192,
    maxReplicas: 10,
    state: "ready" as const,
    dedicatedTenantId: null,
    environmentId: null,
  });
  /** The world as a fleet snapshot: every environment running, every replica running. */
  const snapshotOf = (w: PolicyWorld, rules: PolicyRule[]): FleetSnapshot => ({
    ...w,
    environments: w.environments.map((e) => ({ ...e, status: "running" as const, isHostPool: false })),
    replicas: w.replicas.map((r) => ({ ...r, state: "running" as const, createdAt: 0 })),
    hosts: w.hosts.map((h) => ({ ...h, lastHeartbeatAt: null })),
    rules,
  });
  const world: PolicyWorld = {
    tenants: [
      { id: "acme", name: "Acme" },
      { id: "globex", name: "Globex" },
    ],
    zones: [{ id: "z1", name: "east" }],
    grants: [
      { tenantId: "acme", zoneId: "z1" },
      { tenantId: "globex", zoneId: "z1" },
    ],
    environments: [
      { id: "e1", name: "acme-prod", tenantId: "acme", stage: "production", haLevel: 1, zoneId: "z1", stateServerId: "s1" },
      { id: "e2", name: "globex-dev", tenantId: "globex", stage: "development", haLevel: 1, zoneId: "z1", stateServerId: "s2" },
    ],
    stateServers: [
      {
        id: "s1",
        name: "s1",
        tenantId: "acme",
        tenancy: "dedicated",
        stage: "production",
        zoneId: "z1",
        replicas: 1,
        cpuMillis: 1000,
        memoryMiB: 1024,
        spread: "preferred",
      },
      {
        id: "s2",
        name: "s2",
        tenantId: null,
        tenancy: "shared",
        stage: "development",
        zoneId: "z1",
        replicas: 1,
        cpuMillis: 250,
        memoryMiB: 256,
        spread: "preferred",
      },
    ],
    replicas: [
      { id: "r1", stateServerId: "s1", ordinal: 0, hostId: "h1" },
      { id: "r2", stateServerId: "s2", ordinal: 0, hostId: "h1" },
    ],
    hosts: [host("h1", "a"), host("h2", "b")],
  };

  it("lists what a changed rule now breaks, and the engine's re-place plan fixes it", () => {
    const rules = [rule("prod-ha", "min_ha", { stage: "production", minReplicas: 3 }), rule("sep", "stage_separation", {})];
    const v = findViolations(world, rules);
    expect(v.map((x) => `${x.rule}:${x.target.id}`)).toEqual(["prod-ha:e1", "sep:r2"]);
    expect(v.map((x) => x.fix)).toEqual([{ action: "set_ha", haLevel: 3 }, { action: "replace" }]);
    const plan = planRemediation(snapshotOf(world, rules), v);
    expect(plan.moves).toEqual([{ replicaId: "r2", stateServerId: "s2", ordinal: 0, from: "h1", to: "h2" }]);
    expect(plan.unplaced).toEqual([]);
  });

  it("flags environments left on shared servers in a zone switched to dedicated per tenant", () => {
    const dedicated = { ...world, zones: [{ id: "z1", name: "east", isolation: "dedicated" as const }] };
    const v = findViolations(dedicated, []);
    expect(v.map((x) => [x.rule, x.target.id, x.fix.action])).toEqual([["zone-isolation", "e2", "move_dedicated"]]);
    expect(v[0]!.message).toBe("globex-dev is in zone east, dedicated per tenant, but its state server is shared");
    expect(findViolations(world, [])).toEqual([]);
  });

  it("flags tenant pairs that share a host and reports unplaceable replicas", () => {
    const rules = [rule("apart", "never_share", { tenantIds: ["acme", "globex"] })];
    const v = findViolations(world, rules);
    expect(v.map((x) => x.target.id)).toEqual(["r2"]);
    const plan = planRemediation(snapshotOf({ ...world, hosts: [host("h1", "a")] }, rules), v);
    expect(plan.moves).toEqual([]);
    expect(plan.unplaced.map((u) => u.replicaId)).toEqual(["r2"]);
  });

  it("flags production sharing a state server with another tenant's development, unless the rule is relaxed", () => {
    const shared = {
      ...world,
      environments: [
        ...world.environments,
        { id: "e3", name: "globex-prod", tenantId: "globex", stage: "production" as const, haLevel: 1, zoneId: "z1", stateServerId: "s2" },
        { id: "e4", name: "acme-dev", tenantId: "acme", stage: "development" as const, haLevel: 1, zoneId: "z1", stateServerId: "s1" },
      ],
    };
    const isolation = rule("apart-prod", "production_isolation", {});
    const v = findViolations(shared, [isolation]);
    // e1 (acme-prod) only shares with Acme's own development: fine; e3 (globex-prod) shares with globex-dev: its own tenant too.
    expect(v).toEqual([]);
    const foreign = {
      ...shared,
      environments: shared.environments.map((e) => (e.id === "e2" ? { ...e, tenantId: "acme", name: "acme-dev-2" } : e)),
    };
    const found = findViolations(foreign, [isolation]);
    expect(found.map((x) => [x.rule, x.target.id, x.fix.action])).toEqual([["apart-prod", "e3", "move_dedicated"]]);
    expect(found[0]!.message).toBe(
      "globex-prod is production but shares state server s2 with another tenant's development environment acme-dev-2",
    );
    expect(findViolations(foreign, [])).toEqual([]);
  });

  it("keeps the relaxed production-isolation rule out of the active rules, and only it of the built-ins may be relaxed", () => {
    const rows = [{ id: "1", name: "apart", kind: "production_isolation", enabled: false, builtIn: true, params: {} }];
    expect(activeRules(rows)).toEqual([]);
    expect(isolatesProduction(activeRules(rows))).toBe(false);
    expect(isolatesProduction(activeRules([{ ...rows[0]!, enabled: true }]))).toBe(true);
    expect(RELAXABLE_BUILT_IN_KINDS).toEqual(["production_isolation"]);
  });
});
