import type { RuntimeJobKind } from "../db/generated/client";
import { AppError } from "../errors";
import { HA_LEVELS, type HaLevel } from "../core/model";

/** The pg-boss queue of each kind of runtime job. */
export const JOB_QUEUES: Record<RuntimeJobKind, string> = {
  drain_host: "runtime-drain-host",
  move_environment: "runtime-move-environment",
  change_ha: "runtime-change-ha",
};

/** What each kind of runtime job is given (kept as the RuntimeJob row's params). */
export interface JobParams {
  drain_host: Record<string, never>;
  change_ha: { replicas: HaLevel; environmentId?: string };
  move_environment: { stateServerId: string; fromStateServerId?: string | null };
}

/** A job request: the params its kind takes (a drain takes none). */
export type JobRequest = {
  [K in RuntimeJobKind]: { kind: K } & (K extends "drain_host" ? { params?: JobParams[K] } : { params: JobParams[K] });
}[RuntimeJobKind];

export const isHaLevel = (n: unknown): n is HaLevel => (HA_LEVELS as readonly unknown[]).includes(n);

const field = (raw: unknown, name: string): unknown =>
  raw && typeof raw === "object" ? (raw as Record<string, unknown>)[name] : undefined;

/** A stored change_ha job's params (a row that does not name 1, 3 or 5 replicas fails its job, saying so). */
export function changeHaParams(raw: unknown): JobParams["change_ha"] {
  const replicas = Number(field(raw, "replicas"));
  if (!isHaLevel(replicas)) throw new AppError("VALIDATION", "replicas: 1, 3 or 5");
  return { replicas };
}

/** A stored move_environment job's params (the target state server). */
export function moveParams(raw: unknown): JobParams["move_environment"] {
  return { stateServerId: String(field(raw, "stateServerId") ?? "") };
}
