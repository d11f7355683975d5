import { z } from "zod";

/** The agent protocol's payloads, validated at the edge (route handlers) and typed for the agent. */
const name = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lower-case letters, digits and dashes");
const secret = z.string().min(10).max(200);

export const ZJoinRequest = z
  .object({
    joinToken: secret.optional(),
    environmentToken: secret.optional(),
    name,
    zone: z.string().min(1).max(64).optional(),
    failureDomain: z.string().min(1).max(64),
    cpuMillis: z.number().int().min(100).max(1_024_000),
    memoryMiB: z.number().int().min(64).max(16_777_216),
    maxReplicas: z.number().int().min(1).max(256).optional(),
    address: z.string().min(1).max(255).optional(),
  })
  .strict()
  .refine((v) => v.joinToken || v.environmentToken, { message: "joinToken or environmentToken is required" });
export type JoinRequest = z.infer<typeof ZJoinRequest>;

export const REPORTED_STATES = ["starting", "running", "failed"] as const;

export const ZObservedReplica = z
  .object({
    id: z.string().min(1).max(64),
    state: z.enum(REPORTED_STATES),
    port: z.number().int().min(1).max(65535).optional(),
    pid: z.number().int().min(1).optional(),
    restarts: z.number().int().min(0).max(1_000_000).optional(),
    error: z.string().max(500).optional(),
  })
  .strict();
export type ObservedReplica = z.infer<typeof ZObservedReplica>;

export const ZHeartbeat = z
  .object({
    cpuMillis: z.number().int().min(100).max(1_024_000),
    memoryMiB: z.number().int().min(64).max(16_777_216),
    replicas: z.array(ZObservedReplica).max(256),
  })
  .strict();
export type Heartbeat = z.infer<typeof ZHeartbeat>;

export interface DesiredReplica {
  id: string;
  stateServerId: string;
  ordinal: number;
}

export interface HeartbeatResponse {
  host: { id: string; state: string };
  heartbeatIntervalMs: number;
  desired: DesiredReplica[];
}

export interface JoinResponse {
  hostId: string;
  credential: string;
  heartbeatIntervalMs: number;
}
