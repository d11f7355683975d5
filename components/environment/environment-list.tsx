"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { LayersIcon, Loader2Icon } from "lucide-react";
import Link from "next/link";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/badge";
import { pageInput } from "@/components/ui/cursor-pagination";
import type { Column } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDate } from "@/components/ui/format-date";
import { ListView } from "@/components/ui/list-view";
import { humanize, StatusBadge } from "@/components/ui/status-badge";
import { useCursorPagination } from "@/components/ui/use-cursor-pagination";
import { IDLE_INTERVAL_MS, isTransient, LIVE_INTERVAL_MS } from "./status";

type EnvironmentRow = {
  id: string;
  name: string;
  stage: "development" | "staging" | "production";
  haLevel: 1 | 3 | 5;
  status: string;
  tenantName: string;
  stateServerId: string | null;
  createdAt: Date;
};

const STAGE_ORDER = { development: 0, staging: 1, production: 2 } as const;

const columns: Column<EnvironmentRow>[] = [
  {
    id: "name",
    header: "Name",
    cell: (e) => (
      <Link href={`/environments/${e.id}`} className="font-medium underline-offset-4 hover:underline">
        {e.name}
      </Link>
    ),
    sortValue: (e) => e.name,
  },
  { id: "tenant", header: "Tenant", cell: (e) => e.tenantName, sortValue: (e) => e.tenantName },
  {
    id: "stage",
    header: "Stage",
    cell: (e) => <Badge variant={e.stage === "production" ? "default" : "outline"}>{humanize(e.stage)}</Badge>,
    sortValue: (e) => STAGE_ORDER[e.stage],
  },
  {
    id: "ha",
    header: "HA",
    cell: (e) => `${e.haLevel} ${e.haLevel === 1 ? "replica" : "replicas"}`,
    sortValue: (e) => e.haLevel,
  },
  {
    id: "status",
    header: "Status",
    cell: (e) => (
      <span className="inline-flex items-center gap-1.5" data-testid={`status-${e.name}`}>
        {isTransient(e.status) ? <Loader2Icon aria-hidden="true" className="size-3.5 animate-spin text-muted-foreground" /> : null}
        <StatusBadge status={e.status} />
      </span>
    ),
    sortValue: (e) => e.status,
  },
  {
    id: "stateServer",
    header: "State server",
    cell: (e) =>
      e.stateServerId ? (
        <span className="font-mono text-xs" title={e.stateServerId}>
          {e.stateServerId.slice(0, 8)}
        </span>
      ) : (
        <span className="text-muted-foreground">Not assigned</span>
      ),
  },
  { id: "created", header: "Created", cell: (e) => formatDate(e.createdAt), sortValue: (e) => e.createdAt },
];

export function EnvironmentList() {
  const trpc = useTRPC();
  const pager = useCursorPagination();
  const query = useQuery(
    trpc.environment.list.queryOptions(pageInput(pager.cursor), {
      placeholderData: keepPreviousData,
      // Live status without a refresh: poll quickly while an environment is changing.
      refetchInterval: (q) => (q.state.data?.items.some((e) => isTransient(e.status)) ? LIVE_INTERVAL_MS : IDLE_INTERVAL_MS),
    }),
  );
  return (
    <ListView<EnvironmentRow>
      label="Environments"
      query={query}
      pager={pager}
      columns={columns}
      rowKey={(e) => e.id}
      empty={
        <EmptyState
          icon={<LayersIcon />}
          title="No environments yet"
          description="Environments you create appear here. Each one is an isolated deployment space for a tenant, placed on a shared or dedicated state server."
        />
      }
    />
  );
}
