/**
 * The create flow's progress, derived from what the environment reports: its
 * status, its replicas' states and its events. Pure: the caller passes `now`.
 * Replicas may carry etcd member facts (isLeader, isLearner, memberHealthy);
 * without them, the leader step is read from the environment's status.
 */

export type ProgressStepKey = "placing" | "starting" | "electing" | "writable";
export type ProgressStepState = "done" | "active" | "pending" | "failed";

export interface ProgressReplica {
  ordinal: number;
  /** pending, scheduled, starting, running, failed, stopping */
  state: string;
  startedAt: Date | null;
  /** etcd member facts, when the runtime reports them. */
  isLeader?: boolean;
  isLearner?: boolean;
  memberHealthy?: boolean;
}

export interface ProgressEvent {
  at: Date;
  /** environment.create, environment.assign, environment.status, replica.placed, … */
  kind: string;
  /** For environment.status: the status it changed to. */
  status?: string | null;
}

export interface ProgressInput {
  status: string;
  statusReason?: string | null;
  createdAt: Date;
  haLevel: number;
  replicas: readonly ProgressReplica[];
  events: readonly ProgressEvent[];
  now: Date;
}

export interface ProgressStep {
  key: ProgressStepKey;
  label: string;
  state: ProgressStepState;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Finished: how long it took; active: how long so far; else null. */
  durationMs: number | null;
  detail: string | null;
}

export interface CreationProgress {
  steps: ProgressStep[];
  done: boolean;
  failed: boolean;
}

const LABELS: Record<ProgressStepKey, string> = {
  placing: "Placing",
  starting: "Starting members",
  electing: "Electing a leader",
  writable: "Writable",
};

const WRITABLE_STATUSES = new Set(["running", "degraded"]);
const PAST_PLACING = new Set(["starting", "running", "degraded", "unavailable"]);

const earliest = (dates: (Date | null | undefined)[]): Date | null =>
  dates.reduce<Date | null>((min, d) => (d && (!min || d < min) ? d : min), null);

/** When the environment's status first became one of these (from its status events). */
function statusAt(events: readonly ProgressEvent[], statuses: readonly string[]): Date | null {
  return earliest(events.filter((e) => e.kind === "environment.status" && e.status && statuses.includes(e.status)).map((e) => e.at));
}

export function deriveCreationProgress(input: ProgressInput): CreationProgress {
  const { events, replicas, now } = input;
  const quorum = Math.floor(Math.max(input.haLevel, 1) / 2) + 1;
  const voters = replicas.filter((r) => !r.isLearner);
  const runningVoters = voters.filter((r) => r.state === "running" && r.memberHealthy !== false);
  const leaderKnown = replicas.some((r) => r.isLeader !== undefined);
  const hasLeader = replicas.some((r) => r.isLeader && r.state === "running");
  const writable = WRITABLE_STATUSES.has(input.status) && (!leaderKnown || hasLeader);

  // Placing: from creation until the environment has a server and its replicas hosts.
  const placedAt =
    earliest([
      ...events.filter((e) => e.kind === "environment.assign" || e.kind === "replica.placed").map((e) => e.at),
      statusAt(events, [...PAST_PLACING]),
    ]) ?? null;
  const placed = placedAt !== null || PAST_PLACING.has(input.status) || replicas.some((r) => r.state !== "pending");

  // Starting members: until a quorum of voting members runs (the moment the quorum-th one started).
  const starts = runningVoters
    .map((r) => r.startedAt)
    .filter((d): d is Date => !!d)
    .sort((a, b) => a.getTime() - b.getTime());
  const quorumRunning = runningVoters.length >= quorum || WRITABLE_STATUSES.has(input.status);
  const quorumAt = starts.length >= quorum ? starts[quorum - 1]! : null;

  // Writable: the status the controller derives from the members (running), or a reported leader.
  const writableAt = writable ? (statusAt(events, [...WRITABLE_STATUSES]) ?? quorumAt ?? now) : null;
  const startingDone = quorumRunning ? (quorumAt ?? writableAt) : null;

  const steps: ProgressStep[] = [];
  const push = (key: ProgressStepKey, started: Date | null, finished: Date | null, isDone: boolean, detail: string | null = null) => {
    const previousDone = steps.every((s) => s.state === "done");
    const state: ProgressStepState = isDone ? "done" : previousDone ? "active" : "pending";
    const startedAt = state === "pending" ? null : started;
    const finishedAt = isDone ? (finished ?? startedAt) : null;
    const end = finishedAt ?? (state === "active" ? now : null);
    const durationMs = startedAt && end ? Math.max(end.getTime() - startedAt.getTime(), 0) : null;
    steps.push({ key, label: LABELS[key], state, startedAt, finishedAt, durationMs, detail });
  };
  push("placing", input.createdAt, placedAt, placed);
  push("starting", placedAt, startingDone, quorumRunning, `${runningVoters.length} of ${Math.max(input.haLevel, 1)} running`);
  push("electing", startingDone, writableAt, writable);
  push("writable", writableAt, writableAt, writable);

  const failed = input.status === "failed";
  if (failed) {
    const active = steps.find((s) => s.state !== "done");
    if (active) Object.assign(active, { state: "failed", finishedAt: null, detail: input.statusReason ?? active.detail });
  }
  return { steps, done: steps.every((s) => s.state === "done"), failed };
}
