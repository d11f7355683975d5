"use client";

import { useQuery } from "@tanstack/react-query";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { formatDateTime } from "@/components/ui/format-date";
import { QueryErrorAlert } from "@/components/ui/query-error-alert";
import { Skeleton } from "@/components/ui/skeleton";
import { StatusBadge } from "@/components/ui/status-badge";
import { useTRPC } from "@/components/providers/trpc";
import { HostAdminActions } from "./host-admin-actions";
import { ReplicaExplanation } from "./replica-explanation";

interface HostDrawerProps {
  hostId: string | null;
  hostName: string | null;
  /** `server#ordinal` whose explanation is open. */
  replica: string | null;
  isAdmin: boolean;
  onReplica(replica: string | null): void;
  /** Opens another host's drawer (a drain's target, say). */
  onOpenHost(name: string): void;
  onClose(): void;
}

export function uptime(startedAt: Date | null, now = Date.now()): string {
  if (!startedAt) return "—";
  const s = Math.max(0, Math.floor((now - startedAt.getTime()) / 1000));
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

function Meter({ label, used, total, unit }: { label: string; used: number; total: number; unit: string }) {
  const pct = total ? Math.round((used / total) * 100) : 0;
  return (
    <div className="flex flex-col gap-1">
      <div className="flex justify-between text-xs">
        <span>{label}</span>
        <span className="tabular-nums">
          {used.toLocaleString("en")} / {total.toLocaleString("en")} {unit} ({pct}%)
        </span>
      </div>
      <div
        role="meter"
        aria-label={`${label} use`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        className="h-2 rounded bg-muted"
      >
        <div className={pct > 85 ? "h-2 rounded bg-destructive" : "h-2 rounded bg-primary"} style={{ width: `${Math.min(100, pct)}%` }} />
      </div>
    </div>
  );
}

/** The host drawer: replicas (tenant, environment, server, health, uptime), utilisation, heartbeat, events, admin actions. */
export function HostDrawer({ hostId, hostName, replica, isAdmin, onReplica, onOpenHost, onClose }: HostDrawerProps) {
  const trpc = useTRPC();
  const q = useQuery(trpc.placement.host.queryOptions({ hostId: hostId ?? "-" }, { enabled: !!hostId, refetchInterval: 5000 }));
  const [rServer, rOrdinal] = replica ? replica.split("#") : [];
  return (
    <Dialog open={!!hostName} onOpenChange={(open) => (open ? undefined : onClose())}>
      <DialogContent className="top-0 right-0 left-auto h-full max-h-screen w-full translate-x-0 translate-y-0 overflow-y-auto rounded-none sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Host {hostName}</DialogTitle>
          <DialogDescription>
            {q.data
              ? `${q.data.zone} · ${q.data.failureDomain} · ${q.data.address}`
              : hostId
                ? "Loading…"
                : "This host is not on the current map."}
          </DialogDescription>
        </DialogHeader>
        {q.isPending && hostId ? <Skeleton className="h-64" /> : null}
        {q.isError ? <QueryErrorAlert error={q.error} onRetry={() => void q.refetch()} /> : null}
        {q.data ? (
          <div className="flex flex-col gap-5 text-sm">
            <div className="flex flex-wrap items-center gap-3">
              <StatusBadge status={q.data.state} />
              <span>Last heartbeat: {formatDateTime(q.data.lastHeartbeatAt)}</span>
              {q.data.environment ? (
                <span>
                  Machine of environment{" "}
                  <strong>
                    {q.data.environment.tenant}/{q.data.environment.name}
                  </strong>
                </span>
              ) : null}
              {q.data.dedicatedTenant ? <span>Dedicated to {q.data.dedicatedTenant}</span> : null}
            </div>
            <div className="flex flex-col gap-2">
              <Meter label="CPU" used={q.data.used.cpuMillis} total={q.data.capacity.cpuMillis} unit="millicores" />
              <Meter label="Memory" used={q.data.used.memoryMiB} total={q.data.capacity.memoryMiB} unit="MiB" />
              <Meter label="Replica slots" used={q.data.used.slots} total={q.data.capacity.slots} unit="slots" />
            </div>
            {isAdmin ? (
              <HostAdminActions key={q.data.id} hostId={q.data.id} hostName={q.data.name} state={q.data.state} onOpenHost={onOpenHost} />
            ) : null}
            <section aria-label="Replicas on this host" className="flex flex-col gap-2">
              <h3 className="font-semibold">Replicas ({q.data.replicas.length})</h3>
              {q.data.replicas.length === 0 ? <p className="text-muted-foreground">No replicas run here.</p> : null}
              <ul className="flex flex-col divide-y rounded-md border">
                {q.data.replicas.map((r) => {
                  const key = `${r.server}#${r.ordinal}`;
                  const envs = r.environments.map((e) => `${e.tenantSlug}/${e.name}`).join(", ");
                  return (
                    <li key={r.id} className="flex flex-col gap-1 p-2">
                      <div className="flex flex-wrap items-center justify-between gap-2">
                        <span className="font-medium">
                          {r.server} #{r.ordinal}
                        </span>
                        <StatusBadge status={r.state} />
                      </div>
                      <div className="text-xs text-muted-foreground">
                        {r.environments.length
                          ? `Tenant ${[...new Set(r.environments.map((e) => e.tenant))].join(", ")} · environment ${envs}`
                          : "serves no environment yet"}
                        {" · "}
                        {r.stage ?? "no stage"} · up {uptime(r.startedAt)}
                        {r.restarts ? ` · ${r.restarts} restarts` : ""}
                        {r.failureReason ? ` · ${r.failureReason}` : ""}
                      </div>
                      <div>
                        <Button
                          size="sm"
                          variant="link"
                          className="h-auto px-0"
                          aria-expanded={replica === key}
                          onClick={() => onReplica(replica === key ? null : key)}
                        >
                          Why here? <span className="sr-only">{key}</span>
                        </Button>
                      </div>
                      {replica === key && rServer ? <ReplicaExplanation server={rServer} ordinal={Number(rOrdinal)} /> : null}
                    </li>
                  );
                })}
              </ul>
            </section>
            <section aria-label="Recent placement events" className="flex flex-col gap-2">
              <h3 className="font-semibold">Recent events</h3>
              {q.data.events.length === 0 ? <p className="text-muted-foreground">No placement events touch this host.</p> : null}
              <ol className="flex flex-col gap-1 text-xs">
                {q.data.events.map((e) => (
                  <li key={e.id}>
                    <span className="tabular-nums text-muted-foreground">{formatDateTime(e.at)}</span> {e.kind.replace("_", " ")} {e.server}{" "}
                    #{e.ordinal}
                    {e.from ? ` from ${e.from}` : ""}
                    {e.to ? ` to ${e.to}` : ""} — {e.reason} ({e.actor})
                  </li>
                ))}
              </ol>
            </section>
          </div>
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
