import type { Stage } from "../model";

/** Per-replica size of a state server, by the stage it serves. Quotas count these. */
export const REPLICA_SIZE: Record<Stage, { cpuMillis: number; memoryMiB: number }> = {
  development: { cpuMillis: 250, memoryMiB: 256 },
  staging: { cpuMillis: 500, memoryMiB: 512 },
  production: { cpuMillis: 1000, memoryMiB: 1024 },
};

/** What an environment of this stage and HA level reserves from its tenant's quota. */
export function environmentFootprint(stage: Stage, haLevel: number) {
  const size = REPLICA_SIZE[stage];
  return { replicas: haLevel, cpuMillis: size.cpuMillis * haLevel, memoryMiB: size.memoryMiB * haLevel };
}
