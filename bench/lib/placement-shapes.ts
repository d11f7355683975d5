import type { PlacementHost, PlacementProblem, PlacementStateServer } from "../../server/core/placement";
import { rng } from "./generate";

/** The host of the vector-packing instances: 8 cores, 16 GiB, no slot limit. */
export const SHAPE_HOST = { cpuMillis: 8000, memoryMiB: 16384 } as const;

type Shape = { cpuMillis: number; memoryMiB: number };
type Draw = (rand: () => number) => Shape;
const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

/**
 * Shape mixes for binpack (demand per replica). anti-correlated is the
 * issue's case: CPU-heavy servers next to memory-heavy ones, some large, so a
 * host only fills when the two kinds share it.
 */
export const SHAPE_MIXES: Record<string, { servers: number; draw: Draw; about: string }> = {
  uniform: {
    servers: 1800,
    about: "cpu 0.5-4 cores and memory 0.5-8 GiB drawn independently",
    draw: (rand) => ({ cpuMillis: 500 + 250 * Math.floor(rand() * 15), memoryMiB: 512 * (1 + Math.floor(rand() * 16)) }),
  },
  "anti-correlated": {
    servers: 1800,
    about: "45% CPU-heavy (2-4 cores, 1-2 GiB), 45% memory-heavy (0.5-1 core, 4-8 GiB), 10% large (3-4 cores, 6-8 GiB)",
    draw: (rand) => {
      const x = rand();
      if (x < 0.45) return { cpuMillis: pick(rand, [2000, 3000, 4000]), memoryMiB: pick(rand, [1024, 2048]) };
      if (x < 0.9) return { cpuMillis: pick(rand, [500, 1000]), memoryMiB: pick(rand, [4096, 6144, 8192]) };
      return { cpuMillis: pick(rand, [3000, 4000]), memoryMiB: pick(rand, [6144, 8192]) };
    },
  },
  "few-huge": {
    servers: 1800,
    about: "95% small to medium (0.5-2 cores, 1-4 GiB), 5% huge (6 cores, 12 GiB)",
    draw: (rand) =>
      rand() < 0.05
        ? { cpuMillis: 6000, memoryMiB: 12288 }
        : { cpuMillis: pick(rand, [500, 1000, 1500, 2000]), memoryMiB: pick(rand, [1024, 2048, 3072, 4096]) },
  },
  "many-tiny": {
    servers: 6000,
    about: "6,000 servers of 0.25-0.5 core and 0.5-1 GiB",
    draw: (rand) => ({ cpuMillis: pick(rand, [250, 500]), memoryMiB: pick(rand, [512, 1024]) }),
  },
};

/**
 * A binpack instance of one shape mix: `hosts` hosts of SHAPE_HOST in one
 * zone and 3 failure domains, servers of 1, 3 or 5 replicas (required spread
 * when more than one) from 300 shared tenants. Deterministic in the seed.
 */
export function generateShapeMix(mix: string, seed: number, hosts = 2000, servers?: number): PlacementProblem {
  const m = SHAPE_MIXES[mix];
  if (!m) throw new Error(`unknown shape mix ${mix}`);
  const rand = rng(seed);
  const hostList: PlacementHost[] = Array.from({ length: hosts }, (_, i) => ({
    id: `host-${String(i).padStart(5, "0")}`,
    zone: "z1",
    failureDomain: `fd-${i % 3}`,
    ...SHAPE_HOST,
    state: "ready",
  }));
  const n = servers ?? Math.round((m.servers * hosts) / 2000);
  const stateServers: PlacementStateServer[] = Array.from({ length: n }, (_, i) => {
    const shape = m.draw(rand);
    const replicas = pick(rand, [1, 3, 5]);
    return {
      id: `ss-${String(i).padStart(6, "0")}`,
      tenant: `tenant-${Math.floor(rand() * 300)}`,
      replicas,
      ...shape,
      zones: ["z1"],
      isolation: "shared",
      spread: replicas > 1 ? "required" : "preferred",
      environments: [`env-${i}`],
    };
  });
  return { strategy: "binpack", hosts: hostList, stateServers, existing: [] };
}
