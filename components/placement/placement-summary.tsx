"use client";

import { useQuery } from "@tanstack/react-query";
import { ServerIcon } from "lucide-react";
import { useTRPC } from "@/components/providers/trpc";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryErrorAlert } from "@/components/ui/query-error-alert";
import { Skeleton } from "@/components/ui/skeleton";

type Summary = { hosts: number; replicas: number; stateServers: number; zones: number };

const STATS: { key: keyof Summary; label: string }[] = [
  { key: "hosts", label: "Hosts" },
  { key: "replicas", label: "Replicas" },
  { key: "stateServers", label: "State servers" },
  { key: "zones", label: "Security zones" },
];

export function PlacementSummary() {
  const trpc = useTRPC();
  const query = useQuery(trpc.placement.summary.queryOptions());

  if (query.isPending) {
    return (
      <div role="status" aria-label="Loading placement summary" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {STATS.map((s) => (
          <Skeleton key={s.key} className="h-24" />
        ))}
      </div>
    );
  }
  if (query.isError) return <QueryErrorAlert error={query.error} onRetry={() => void query.refetch()} />;

  const summary: Summary = query.data;
  return (
    <div className="flex flex-col gap-6">
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {STATS.map((s) => (
          <div key={s.key} className="flex flex-col gap-2 rounded-lg border bg-card p-5 shadow-sm">
            <dt className="text-sm text-muted-foreground">{s.label}</dt>
            <dd className="text-3xl font-semibold tabular-nums">{summary[s.key]}</dd>
          </div>
        ))}
      </dl>
      {summary.hosts === 0 ? (
        <EmptyState
          icon={<ServerIcon />}
          title="No hosts have joined yet"
          description="Replicas are placed on hosts. Once a host agent registers with a join token, its zone, failure domain and replicas show up here."
        />
      ) : null}
    </div>
  );
}
