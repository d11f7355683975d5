"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { Loader2Icon } from "lucide-react";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatDateTime } from "@/components/ui/format-date";
import { QueryErrorAlert } from "@/components/ui/query-error-alert";
import { humanize, StatusBadge } from "@/components/ui/status-badge";
import type { AppRouter } from "@/server/api/root";
import { ConnectionCard } from "./connection-card";
import { CreationProgressView } from "./creation-progress";
import { KeyBrowser } from "./key-browser";
import { MemberTable } from "./member-table";
import { EnvironmentActions } from "./environment-actions";
import { IDLE_INTERVAL_MS, isTransient, LIVE_INTERVAL_MS } from "./status";

type Detail = inferRouterOutputs<AppRouter>["environment"]["get"];

const busy = (d: Detail | undefined) => !!d && (isTransient(d.status) || d.jobs.some((j) => j.state === "queued" || j.state === "running"));

export function EnvironmentDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.environment.get.queryOptions({ id }, { refetchInterval: (q) => (busy(q.state.data) ? LIVE_INTERVAL_MS : IDLE_INTERVAL_MS) }),
  );
  if (query.isPending) return <p className="text-sm text-muted-foreground">Loading…</p>;
  if (!query.data) return <QueryErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const env = query.data;
  const pct = env.progress.total ? Math.round((100 * env.progress.running) / env.progress.total) : 0;
  const openJobs = env.jobs.filter((j) => j.state === "queued" || j.state === "running");
  return (
    <div className="flex flex-col gap-6">
      {query.error ? <QueryErrorAlert error={query.error} /> : null}
      <Card>
        <CardContent className="flex flex-col gap-4 pt-6">
          <dl className="grid grid-cols-2 gap-4 text-sm sm:grid-cols-5">
            <div>
              <dt className="text-muted-foreground">Status</dt>
              <dd className="mt-1 flex items-center gap-1.5" data-testid="env-status">
                {isTransient(env.status) ? <Loader2Icon aria-hidden="true" className="size-3.5 animate-spin" /> : null}
                <StatusBadge status={env.status} />
              </dd>
            </div>
            <div>
              <dt className="text-muted-foreground">Stage</dt>
              <dd className="mt-1">{humanize(env.stage)}</dd>
            </div>
            <div>
              <dt className="text-muted-foreground">HA level</dt>
              <dd className="mt-1">{env.haLevel}</dd>
            </div>
            <div>
              <dt className="text-muted-foreground">Tenant</dt>
              <dd className="mt-1">{env.tenantName}</dd>
            </div>
            <div>
              <dt className="text-muted-foreground">Zone</dt>
              <dd className="mt-1">{env.zone?.name ?? "none"}</dd>
            </div>
          </dl>
          <div className="flex flex-col gap-1">
            <div className="flex justify-between text-xs text-muted-foreground">
              <span>
                {env.progress.running}/{env.progress.total} replicas running
              </span>
              {env.statusReason ? <span>{env.statusReason}</span> : null}
            </div>
            <div
              role="progressbar"
              aria-label="Replicas running"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={pct}
              className="h-2 overflow-hidden rounded bg-muted"
            >
              <div className="h-full bg-success transition-all" style={{ width: `${pct}%` }} />
            </div>
          </div>
          {env.status === "pending" || env.status === "placing" || env.status === "starting" || env.status === "failed" ? (
            <CreationProgressView env={env} />
          ) : null}
          {openJobs.map((j) => (
            <div key={j.id} className="flex flex-col gap-1 text-sm" data-testid="job">
              <span>
                {humanize(j.kind)}: {j.detail || humanize(j.state)} ({j.progress}%)
              </span>
              <div
                role="progressbar"
                aria-label={humanize(j.kind)}
                aria-valuenow={j.progress}
                aria-valuemin={0}
                aria-valuemax={100}
                className="h-1.5 overflow-hidden rounded bg-muted"
              >
                <div className="h-full bg-primary transition-all" style={{ width: `${j.progress}%` }} />
              </div>
            </div>
          ))}
          {env.canChange ? <EnvironmentActions env={env} /> : null}
        </CardContent>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <ConnectionCard connection={env.connection} environmentId={env.id} canIssue={env.canChange} />
        <Card>
          <CardHeader>
            <CardTitle>State server</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-2 text-sm">
            {env.stateServer ? (
              <>
                <p>
                  <span className="font-mono">{env.stateServer.name}</span> <Badge variant="outline">{env.stateServer.tenancy}</Badge>{" "}
                  {env.stateServer.replicas} {env.stateServer.replicas === 1 ? "replica" : "replicas"}
                </p>
                <p className="text-muted-foreground">
                  {env.neighbours.length ? `Shared with ${env.neighbours.length} other environment(s):` : "No other environment uses it."}
                </p>
                <ul className="flex flex-col gap-1" aria-label="Environments sharing the state server">
                  {env.neighbours.map((n, i) => (
                    <li key={n.id ?? `hidden-${i}`} className="flex items-center gap-2">
                      <span className={n.hidden ? "italic text-muted-foreground" : ""}>{n.name}</span>
                      <Badge variant="outline">{n.stage}</Badge>
                      <StatusBadge status={n.status} />
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p className="text-muted-foreground">Not assigned yet: the controller is choosing one.</p>
            )}
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>Members</CardTitle>
        </CardHeader>
        <CardContent>
          <MemberTable replicas={env.replicas} />
        </CardContent>
      </Card>

      {env.connection ? <KeyBrowser environmentId={env.id} canWrite={env.canChange} /> : null}

      <Card>
        <CardHeader>
          <CardTitle>Events</CardTitle>
        </CardHeader>
        <CardContent>
          <ol className="flex flex-col gap-2 text-sm" aria-label="Events timeline">
            {env.timeline.map((e) => (
              <li key={e.key} className="flex flex-wrap gap-x-3">
                <time className="w-40 shrink-0 tabular-nums text-muted-foreground" dateTime={new Date(e.at).toISOString()}>
                  {formatDateTime(e.at)}
                </time>
                <span className="font-mono text-xs leading-5">{e.kind}</span>
                <span>{e.detail}</span>
                <span className="text-xs leading-5 text-muted-foreground">{e.actor}</span>
              </li>
            ))}
          </ol>
        </CardContent>
      </Card>
    </div>
  );
}
