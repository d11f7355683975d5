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
import { CopyButton } from "./copy-button";
import { CreationProgressView } from "./creation-progress";
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
        <Card className="min-w-0">
          <CardHeader>
            <CardTitle>Endpoints</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-2 text-sm">
            {env.endpoints.length ? (
              <ul className="flex flex-col gap-2" aria-label="Endpoints">
                {env.endpoints.map((e) => (
                  <li key={e} className="flex min-w-0 items-center justify-between gap-2">
                    <code className="min-w-0 font-mono text-xs break-all" data-testid="endpoint">
                      {e}/v1/environments/{env.id}
                    </code>
                    <CopyButton value={`${e}/v1/environments/${env.id}`} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-muted-foreground">No replica is serving yet.</p>
            )}
            <p className="text-xs text-muted-foreground">
              Call <code>GET …/status</code> or the key-value API <code>…/kv/KEY</code> with{" "}
              <code>Authorization: Bearer &lt;credential&gt;</code>.
            </p>
          </CardContent>
        </Card>
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
          <CardTitle>Replicas</CardTitle>
        </CardHeader>
        <CardContent>
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Replicas</caption>
            <thead className="text-muted-foreground">
              <tr>
                <th className="py-1 font-medium">#</th>
                <th className="py-1 font-medium">Host</th>
                <th className="py-1 font-medium">Failure domain</th>
                <th className="py-1 font-medium">Health</th>
                <th className="py-1 font-medium">Endpoint</th>
                <th className="py-1 font-medium">Since</th>
              </tr>
            </thead>
            <tbody>
              {env.replicas.map((r) => (
                <tr key={r.id} className="border-t" data-testid="replica-row">
                  <td className="py-1.5">{r.ordinal}</td>
                  <td className="py-1.5 font-mono text-xs">{r.hostName ?? "unplaced"}</td>
                  <td className="py-1.5">{r.failureDomain ?? "—"}</td>
                  <td className="py-1.5">
                    <StatusBadge status={r.state} />
                    {r.failureReason ? <span className="ml-2 text-xs text-muted-foreground">{r.failureReason}</span> : null}
                  </td>
                  <td className="py-1.5 font-mono text-xs">{r.endpoint ?? "—"}</td>
                  <td className="py-1.5">{r.startedAt ? formatDateTime(r.startedAt) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {env.replicas.length === 0 ? <p className="text-sm text-muted-foreground">No replicas yet.</p> : null}
        </CardContent>
      </Card>

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
