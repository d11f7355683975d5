"use client";

import { CheckCircle2Icon, CircleIcon, Loader2Icon, XCircleIcon } from "lucide-react";
import { useEffect, useState } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { deriveCreationProgress, type ProgressStepState } from "@/server/core/progress/creation-progress";

type Detail = inferRouterOutputs<AppRouter>["environment"]["get"];

/** The current time, ticking; null until mounted (the server's clock must not reach the markup). */
function useNow(everyMs: number): Date | null {
  const [now, setNow] = useState<Date | null>(null);
  useEffect(() => {
    const tick = () => setNow(new Date());
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, everyMs);
    return () => (clearTimeout(first), clearInterval(timer));
  }, [everyMs]);
  return now;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

const ICON: Record<ProgressStepState, React.ReactNode> = {
  done: <CheckCircle2Icon aria-hidden="true" className="size-4 text-success" />,
  active: <Loader2Icon aria-hidden="true" className="size-4 animate-spin text-primary" />,
  pending: <CircleIcon aria-hidden="true" className="size-4 text-muted-foreground" />,
  failed: <XCircleIcon aria-hidden="true" className="size-4 text-destructive" />,
};

/** Placing → starting members → electing a leader → writable, live, with the time each step took. */
export function CreationProgressView({ env }: { env: Detail }) {
  const now = useNow(500);
  if (!now) return null;
  const progress = deriveCreationProgress({
    status: env.status,
    statusReason: env.statusReason,
    createdAt: new Date(env.createdAt),
    haLevel: env.haLevel,
    // The etcd member facts its agent reports: who leads, who is still a learner, who answers.
    replicas: env.replicas.map((r) => ({
      ordinal: r.ordinal,
      state: r.state,
      startedAt: r.startedAt ? new Date(r.startedAt) : null,
      ...(r.member ? { isLeader: r.member.leader, isLearner: r.member.learner, memberHealthy: r.state === "running" } : {}),
    })),
    events: env.timeline.map((e) => ({ at: new Date(e.at), kind: e.kind, status: e.status })),
    now,
  });
  return (
    <ol aria-label="Creation progress" className="flex flex-col gap-2 text-sm" data-done={progress.done}>
      {progress.steps.map((s) => (
        <li key={s.key} className="flex flex-wrap items-center gap-x-2" data-testid={`progress-${s.key}`} data-state={s.state}>
          {ICON[s.state]}
          <span className={s.state === "pending" ? "text-muted-foreground" : "font-medium"}>{s.label}</span>
          {s.durationMs !== null && s.key !== "writable" ? (
            <span className="tabular-nums text-muted-foreground" data-testid={`progress-${s.key}-time`}>
              {s.state === "active" ? `${formatDuration(s.durationMs)} so far` : formatDuration(s.durationMs)}
            </span>
          ) : null}
          {s.detail && s.state !== "pending" && s.state !== "done" ? (
            <span className="text-xs text-muted-foreground">{s.detail}</span>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
