import type { PlacementHost, PlacementProblem, PlacementStateServer } from "../../server/core/placement";
import { seededRandom as rng } from "../../server/core/seeded-random";

export { rng };

export interface FleetOptions {
  hosts: number;
  servers: number;
  strategy: "spread" | "binpack";
  /** Replica counts to draw from (uniformly). */
  replicas: readonly number[];
  seed: number;
  dedicatedTenants?: number;
}

const SIZES = [
  { cpuMillis: 250, memoryMiB: 512 },
  { cpuMillis: 500, memoryMiB: 1024 },
  { cpuMillis: 1000, memoryMiB: 2048 },
  { cpuMillis: 2000, memoryMiB: 4096 },
] as const;

/**
 * A fleet like the issue describes: 4 security zones (z0-z2 shared, z3 for
 * dedicated tenants whose hosts are dedicated to them), 3 failure domains,
 * uniform hosts (16 cores, 64 GiB, 40 slots), 500 tenants, some dedicated
 * tenants, a few never-share pairs.
 */
export function generateFleet(o: FleetOptions): PlacementProblem {
  const rand = rng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const dedicatedTenants = o.dedicatedTenants ?? 8;
  const hosts: PlacementHost[] = [];
  const dedicatedHosts = Math.floor(o.hosts * 0.1);
  for (let i = 0; i < o.hosts; i++) {
    const dedicated = i < dedicatedHosts;
    hosts.push({
      id: `host-${String(i).padStart(5, "0")}`,
      zone: dedicated ? "z3" : `z${i % 3}`,
      failureDomain: `fd-${Math.floor(i / 3) % 3}`,
      cpuMillis: 16000,
      memoryMiB: 65536,
      maxReplicas: 40,
      state: "ready",
      ...(dedicated ? { dedicatedTenant: `tenant-d${i % dedicatedTenants}` } : {}),
    });
  }
  const servers: PlacementStateServer[] = [];
  for (let i = 0; i < o.servers; i++) {
    const dedicated = rand() < 0.08;
    const size = pick(SIZES);
    const replicas = pick(o.replicas);
    servers.push({
      id: `ss-${String(i).padStart(6, "0")}`,
      tenant: dedicated ? `tenant-d${i % dedicatedTenants}` : `tenant-${Math.floor(rand() * 500)}`,
      replicas,
      cpuMillis: size.cpuMillis,
      memoryMiB: size.memoryMiB,
      zones: dedicated ? ["z3"] : [`z${Math.floor(rand() * 3)}`],
      isolation: dedicated ? "dedicated" : "shared",
      spread: replicas > 1 ? "required" : "preferred",
      environments: [`env-${i}`],
    });
  }
  return {
    strategy: o.strategy,
    hosts,
    stateServers: servers,
    existing: [],
    rules: [
      { kind: "neverShare", tenants: ["tenant-1", "tenant-2"] },
      { kind: "neverShare", tenants: ["tenant-3", "tenant-4"] },
    ],
  };
}

/**
 * Small instances for the exact-optimum comparison: ~10 hosts of two sizes in
 * 3 failure domains and 2 zones, ~20 replicas of 1/3/5-replica servers of
 * mixed sizes, a few dedicated servers and a never-share pair.
 */
export function generateSmall(seed: number): PlacementProblem {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const hosts: PlacementHost[] = Array.from({ length: 10 }, (_, i) => {
    const big = rand() < 0.4;
    return {
      id: `h${String(i).padStart(2, "0")}`,
      zone: i < 8 ? "z1" : "z2",
      failureDomain: `fd-${i % 3}`,
      cpuMillis: big ? 8000 : 4000,
      memoryMiB: big ? 16384 : 8192,
      maxReplicas: big ? 8 : 4,
      state: "ready",
    };
  });
  const stateServers: PlacementStateServer[] = [];
  let replicas = 0;
  for (let i = 0; replicas < 20; i++) {
    const r = Math.min(pick([1, 1, 3, 3, 5]), Math.max(1, 20 - replicas));
    const size = pick(SIZES);
    const dedicated = rand() < 0.1;
    stateServers.push({
      id: `s${String(i).padStart(2, "0")}`,
      tenant: `t${Math.floor(rand() * 5)}`,
      replicas: r,
      cpuMillis: size.cpuMillis,
      memoryMiB: size.memoryMiB,
      zones: rand() < 0.8 ? ["z1"] : ["z1", "z2"],
      isolation: dedicated ? "dedicated" : "shared",
      spread: r > 1 ? "required" : "preferred",
      environments: [`env-${i}`],
    });
    replicas += r;
  }
  return { strategy: "binpack", hosts, stateServers, existing: [], rules: [{ kind: "neverShare", tenants: ["t0", "t1"] }] };
}
