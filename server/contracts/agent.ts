import { z } from "zod";

/** The agent protocol's payloads, validated at the edge (route handlers) and typed for the agent. */
const name = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lower-case letters, digits and dashes");
const secret = z.string().min(10).max(200);

/**
 * The member ports an agent offers when it names none: below Linux's ephemeral
 * range (32768 and up by default), which the kernel hands to outgoing
 * connections, so a member restarting on its fixed ports never finds one taken.
 */
export const DEFAULT_MEMBER_PORTS = { from: 20_000, to: 23_999 } as const;

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
    /**
     * A random key the agent makes once and keeps in its state dir. A join retried
     * with the same token(s) and key (its answer was lost) gets the same host and
     * a fresh credential; another key with a used token is refused.
     */
    installKey: secret.optional(),
    /** The port range the controller may allocate this host's member ports from (default DEFAULT_MEMBER_PORTS). */
    portFrom: z.number().int().min(1).max(65535).optional(),
    portTo: z.number().int().min(1).max(65535).optional(),
  })
  .strict()
  .refine((v) => v.joinToken || v.environmentToken, { message: "joinToken or environmentToken is required" })
  .refine((v) => (v.portFrom ?? DEFAULT_MEMBER_PORTS.from) <= (v.portTo ?? DEFAULT_MEMBER_PORTS.to), {
    message: "portFrom must not exceed portTo",
    path: ["portFrom"],
  });
export type JoinRequest = z.infer<typeof ZJoinRequest>;

export const REPORTED_STATES = ["starting", "running", "failed"] as const;

export interface JoinResponse {
  hostId: string;
  credential: string;
  heartbeatIntervalMs: number;
}

/**
 * The etcd-member protocol (replica = one etcd member). The controller decides
 * every member's name, ports and cluster flags; the agent only runs them.
 * A desired member without `initialCluster` is placed but not startable yet
 * (the controller has not bootstrapped the cluster or added it as a member):
 * the agent starts nothing for it.
 */
export interface DesiredMember {
  /** The replica row's id; also the etcd member name and the data directory's name. */
  id: string;
  stateServerId: string;
  ordinal: number;
  /** Kept for the member's life: a restart reuses them, so clients and peers keep the address. */
  clientPort: number;
  peerPort: number;
  /** The host address the member listens on and advertises. */
  address: string;
  /** etcd --initial-cluster-token: one per state server. */
  clusterToken: string;
  /** etcd --initial-cluster (`name=http://addr:peerPort,...`); absent = do not start yet. */
  initialCluster?: string;
  /** "new" when bootstrapping the cluster, "existing" when the member was added to a running one. */
  initialClusterState?: "new" | "existing";
  /**
   * The member's TLS material (its cluster's members speak TLS when the peer URLs in
   * `initialCluster` are https). Sent only while the agent does not report holding
   * this certificate (ObservedMember.tls): the agent keeps it on disk.
   */
  tls?: TlsMaterial;
}

/** PEMs: a cluster's authority, a certificate it signed and that certificate's key (a member's, or a client's of the cluster). */
export interface TlsMaterial {
  ca: string;
  cert: string;
  key: string;
}

/** What a running member says about itself (etcd Maintenance.Status, asked by its agent each heartbeat). */
export const ZMemberHealth = z
  .object({
    /** etcd member id, hex. */
    memberId: z.string().regex(/^[0-9a-f]{1,16}$/),
    /** The leader this member sees, hex; absent when it sees none. */
    leaderId: z
      .string()
      .regex(/^[0-9a-f]{1,16}$/)
      .optional(),
    raftTerm: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    raftIndex: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    isLearner: z.boolean(),
    dbSizeBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    /** Active alarms (NOSPACE, CORRUPT) and errors the member reports. */
    alarms: z.array(z.string().max(200)).max(16),
  })
  .strict();
export type MemberHealth = z.infer<typeof ZMemberHealth>;

export const ZObservedMember = z
  .object({
    id: z.string().min(1).max(64),
    /** starting: process up, not answering yet; running: answers Status; failed: exited or cannot start. */
    state: z.enum(REPORTED_STATES),
    clientPort: z.number().int().min(1).max(65535),
    peerPort: z.number().int().min(1).max(65535),
    pid: z.number().int().min(1).max(2_147_483_647).optional(),
    restarts: z.number().int().min(0).max(1_000_000).optional(),
    error: z.string().max(500).optional(),
    health: ZMemberHealth.optional(),
    /** md5 of the certificate PEM the member runs with (absent: none on disk). */
    tls: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .optional(),
  })
  .strict();
export type ObservedMember = z.infer<typeof ZObservedMember>;

export const ZHeartbeat = z
  .object({
    cpuMillis: z.number().int().min(100).max(1_024_000),
    memoryMiB: z.number().int().min(64).max(16_777_216),
    /** Every member the agent runs (stopping ones are left out). */
    replicas: z.array(ZObservedMember).max(256),
  })
  .strict();
export type Heartbeat = z.infer<typeof ZHeartbeat>;

export interface HeartbeatResponse {
  host: { id: string; state: string };
  heartbeatIntervalMs: number;
  /** The members this host should run; any other member it runs is stopped and its data wiped. */
  desired: DesiredMember[];
}
