import { describe, expect, it } from "vitest";
import { type EnvironmentPolicy, placeEnvironment, type StateServerCandidate } from "./environment-placement";

const policy: EnvironmentPolicy = {
  zoneGrants: { acme: ["eu-1", "eu-2"], globex: ["us-1"] },
  minReplicas: { development: 1, staging: 1, production: 3 },
  dedicatedForProduction: true,
  serverSize: {
    development: { cpuMillis: 250, memoryMiB: 512, maxEnvironments: 50 },
    staging: { cpuMillis: 500, memoryMiB: 1024, maxEnvironments: 20 },
    production: { cpuMillis: 1000, memoryMiB: 2048, maxEnvironments: 5 },
  },
};
const candidate = (id: string, over: Partial<StateServerCandidate> = {}): StateServerCandidate => ({
  id,
  tenant: "platform",
  zone: "eu-1",
  isolation: "shared",
  replicas: 3,
  runningReplicas: 3,
  draining: false,
  environments: 2,
  maxEnvironments: 10,
  cpuMillis: 2000,
  memoryMiB: 4096,
  usedCpuMillis: 0,
  usedMemoryMiB: 0,
  ...over,
});

describe("environment -> state server", () => {
  it("joins the healthiest, roomiest compatible server; ties by id", () => {
    const r = placeEnvironment(
      { id: "e", tenant: "acme", stage: "staging" },
      [candidate("b"), candidate("a"), candidate("c", { environments: 8 })],
      policy,
    );
    expect(r.decision).toBe("existing");
    expect(r.decision === "existing" && r.stateServer).toBe("a");
    expect(r.ranking.map((x) => x.stateServer)).toEqual(["a", "b", "c"]);
  });

  it("returns every reason for every rejected server", () => {
    const servers = [
      candidate("drain", { draining: true }),
      candidate("sick", { runningReplicas: 1 }),
      candidate("far", { zone: "us-1" }),
      candidate("theirs", { isolation: "dedicated", tenant: "globex" }),
      candidate("full", { environments: 10, usedCpuMillis: 2000 }),
      candidate("stage", { stage: "production" }),
    ];
    const r = placeEnvironment({ id: "e", tenant: "acme", stage: "staging", cpuMillis: 1 }, servers, policy);
    expect(r.decision).toBe("new");
    expect(Object.fromEntries(r.rejected.map((x) => [x.stateServer, x.reasons]))).toEqual({
      drain: ["server-draining"],
      far: ["zone-not-granted"],
      full: ["environments-full", "insufficient-cpu"],
      sick: ["server-unhealthy"],
      stage: ["stage-mismatch"],
      theirs: ["tenancy-mismatch"],
    });
  });

  it("production by policy gets a new dedicated server with the stage's HA level and size", () => {
    const r = placeEnvironment({ id: "prod", tenant: "acme", stage: "production" }, [candidate("shared")], policy);
    expect(r.decision).toBe("new");
    if (r.decision !== "new") return;
    expect(r.rejected[0]!.reasons).toEqual(["dedicated-required"]);
    expect(r.stateServer).toMatchObject({
      tenant: "acme",
      replicas: 3,
      isolation: "dedicated",
      spread: "required",
      zones: ["eu-1"],
      cpuMillis: 1000,
      environments: ["prod"],
    });
  });

  it("in a zone dedicated per tenant, staging too gets (or joins only) a dedicated server", () => {
    const zoned = { ...policy, dedicatedZones: ["eu-1"] };
    const fresh = placeEnvironment({ id: "s1", tenant: "acme", stage: "staging", zones: ["eu-1"] }, [candidate("shared")], zoned);
    expect(fresh.decision).toBe("new");
    if (fresh.decision !== "new") return;
    expect(fresh.rejected[0]!.reasons).toEqual(["dedicated-required"]);
    expect(fresh.stateServer).toMatchObject({ tenant: "acme", isolation: "dedicated", zones: ["eu-1"] });
    const mine = candidate("mine", { tenant: "acme", isolation: "dedicated" });
    const joined = placeEnvironment({ id: "s2", tenant: "acme", stage: "staging", zones: ["eu-1"] }, [mine], zoned);
    expect(joined.decision === "existing" && joined.stateServer).toBe("mine");
    const elsewhere = placeEnvironment(
      { id: "s3", tenant: "acme", stage: "staging", zones: ["eu-2"] },
      [candidate("shared2", { zone: "eu-2" })],
      zoned,
    );
    expect(elsewhere.decision === "existing" && elsewhere.stateServer).toBe("shared2");
  });

  it("a dedicated server of the same tenant can take its production environments", () => {
    const r = placeEnvironment(
      { id: "p2", tenant: "acme", stage: "production" },
      [candidate("mine", { tenant: "acme", isolation: "dedicated" })],
      policy,
    );
    expect(r.decision === "existing" && r.stateServer).toBe("mine");
  });

  describe("production isolation (on by default)", () => {
    const open = { ...policy, dedicatedForProduction: false };
    const acmeDev = candidate("acme-dev", { residents: [{ tenant: "acme", stage: "development" }] });
    const acmeProd = candidate("acme-prod", { residents: [{ tenant: "acme", stage: "production" }] });
    const mixed = candidate("mixed", {
      residents: [
        { tenant: "acme", stage: "production" },
        { tenant: "initech", stage: "staging" },
      ],
    });

    it("keeps a production environment off a server holding another tenant's development or staging", () => {
      const r = placeEnvironment({ id: "p", tenant: "globex", stage: "production", zones: ["eu-1"] }, [acmeDev, acmeProd], {
        ...open,
        zoneGrants: { globex: ["eu-1"] },
      });
      expect(r.decision === "existing" && r.stateServer).toBe("acme-prod");
      expect(r.rejected).toEqual([
        {
          stateServer: "acme-dev",
          reasons: ["other-tenant-nonproduction"],
          message: "acme-dev: holds another tenant's development or staging (production is kept apart)",
        },
      ]);
    });

    it("keeps development and staging off a server holding another tenant's production", () => {
      for (const stage of ["development", "staging"] as const) {
        const r = placeEnvironment({ id: "d", tenant: "globex", stage }, [acmeProd, mixed], { ...open, zoneGrants: { globex: ["eu-1"] } });
        expect(r.decision).toBe("new");
        expect(r.rejected.map((x) => [x.stateServer, x.reasons])).toEqual([
          ["acme-prod", ["other-tenant-production"]],
          ["mixed", ["other-tenant-production"]],
        ]);
      }
    });

    it("lets a tenant mix its own stages, and other tenants' production share with production", () => {
      const own = placeEnvironment({ id: "p", tenant: "acme", stage: "production" }, [acmeDev], open);
      expect(own.decision === "existing" && own.stateServer).toBe("acme-dev");
      const dev = placeEnvironment({ id: "d", tenant: "acme", stage: "development" }, [acmeProd], open);
      expect(dev.decision === "existing" && dev.stateServer).toBe("acme-prod");
      const prodWithProd = placeEnvironment({ id: "p", tenant: "globex", stage: "production", zones: ["eu-1"] }, [acmeProd], {
        ...open,
        zoneGrants: { globex: ["eu-1"] },
      });
      expect(prodWithProd.decision === "existing" && prodWithProd.stateServer).toBe("acme-prod");
    });

    it("an admin who relaxes the rule lets production join another tenant's development server", () => {
      const r = placeEnvironment({ id: "p", tenant: "globex", stage: "production", zones: ["eu-1"] }, [acmeDev], {
        ...open,
        zoneGrants: { globex: ["eu-1"] },
        productionIsolation: false,
      });
      expect(r.decision === "existing" && r.stateServer).toBe("acme-dev");
    });
  });
});
