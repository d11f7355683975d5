import { describe, expect, it } from "vitest";
import { deriveCreationProgress, type ProgressInput } from "./creation-progress";

const t = (s: number) => new Date(Date.UTC(2026, 10, 29, 12, 0, s));
const base: ProgressInput = {
  status: "pending",
  createdAt: t(0),
  haLevel: 3,
  replicas: [],
  events: [{ at: t(0), kind: "environment.create" }],
  now: t(2),
};
const states = (input: ProgressInput) => deriveCreationProgress(input).steps.map((s) => `${s.key}:${s.state}:${s.durationMs ?? "-"}`);

describe("deriveCreationProgress", () => {
  it("a fresh environment is placing, for as long as it has been", () => {
    expect(states(base)).toEqual(["placing:active:2000", "starting:pending:-", "electing:pending:-", "writable:pending:-"]);
  });

  it("placed, with one of three members running: starting members, no quorum yet", () => {
    const p = deriveCreationProgress({
      ...base,
      status: "starting",
      events: [...base.events, { at: t(1), kind: "environment.assign" }, { at: t(1), kind: "environment.status", status: "placing" }],
      replicas: [
        { ordinal: 0, state: "running", startedAt: t(3) },
        { ordinal: 1, state: "starting", startedAt: null },
        { ordinal: 2, state: "scheduled", startedAt: null },
      ],
      now: t(4),
    });
    expect(p.steps.map((s) => `${s.key}:${s.state}:${s.durationMs ?? "-"}`)).toEqual([
      "placing:done:1000",
      "starting:active:3000",
      "electing:pending:-",
      "writable:pending:-",
    ]);
    expect(p.steps[1]!.detail).toBe("1 of 3 running");
    expect(p.done).toBe(false);
  });

  it("running: every step done, each with the time it took (quorum at the second member's start)", () => {
    const p = deriveCreationProgress({
      ...base,
      status: "running",
      events: [...base.events, { at: t(1), kind: "environment.assign" }, { at: t(7), kind: "environment.status", status: "running" }],
      replicas: [
        { ordinal: 0, state: "running", startedAt: t(3) },
        { ordinal: 1, state: "running", startedAt: t(5) },
        { ordinal: 2, state: "running", startedAt: t(6) },
      ],
      now: t(20),
    });
    expect(p.steps.map((s) => `${s.key}:${s.state}:${s.durationMs}`)).toEqual([
      "placing:done:1000",
      "starting:done:4000",
      "electing:done:2000",
      "writable:done:0",
    ]);
    expect(p.done).toBe(true);
  });

  it("with etcd member facts, writable waits for a leader among the running members; learners do not count towards quorum", () => {
    const replicas = [
      { ordinal: 0, state: "running", startedAt: t(3), isLeader: false, isLearner: false },
      { ordinal: 1, state: "running", startedAt: t(4), isLeader: false, isLearner: true },
      { ordinal: 2, state: "starting", startedAt: null, isLeader: false, isLearner: false },
    ];
    const noQuorum = deriveCreationProgress({
      ...base,
      status: "starting",
      replicas,
      events: [{ at: t(1), kind: "environment.assign" }],
      now: t(9),
    });
    expect(noQuorum.steps[1]).toMatchObject({ state: "active", detail: "1 of 3 running" });
    const elected = [{ ...replicas[0]!, isLeader: true }, { ...replicas[1]!, isLearner: false }, replicas[2]!];
    const status = deriveCreationProgress({
      ...base,
      status: "running",
      replicas: elected,
      events: [
        { at: t(1), kind: "environment.assign" },
        { at: t(8), kind: "environment.status", status: "running" },
      ],
      now: t(9),
    });
    expect(status.done).toBe(true);
    const leaderless = deriveCreationProgress({
      ...base,
      status: "running",
      replicas: elected.map((r) => ({ ...r, isLeader: false })),
      now: t(9),
    });
    expect(leaderless.steps.map((s) => s.state)).toEqual(["done", "done", "active", "pending"]);
  });

  it("a failure marks the step it stopped at, with the reason", () => {
    const p = deriveCreationProgress({ ...base, status: "failed", statusReason: "no host with room in zone shared-east" });
    expect(p.failed).toBe(true);
    expect(p.steps[0]).toMatchObject({ key: "placing", state: "failed", detail: "no host with room in zone shared-east" });
  });
});
