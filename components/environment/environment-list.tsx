"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { LayersIcon, Loader2Icon } from "lucide-react";
import Link from "next/link";
import { useTRPC } from "@/components/providers/trpc";
import { PagedGrid } from "@/components/ui/paged-grid";
import { Badge } from "@/components/ui/badge";
import { pageInput } from "@/components/ui/cursor-pagination";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDate } from "@/components/ui/format-date";
import { humanize, StatusBadge } from "@/components/ui/status-badge";
import { useCursorPagination } from "@/components/ui/use-cursor-pagination";
import { IDLE_INTERVAL_MS, isTransient, LIVE_INTERVAL_MS } from "./status";
import type { HaLevel } from "@/server/core/model";

type EnvironmentRow = {
  id: string;
  name: string;
  stage: "development" | "staging" | "production";
  haLevel: HaLevel;
  status: string;
  tenantName: string;
  tenantSlug: string;
  stateServerId: string | null;
  stateServerName: string | null;
  createdAt: Date;
};

const STAGE_ORDER = { development: 0, staging: 1, production: 2 } as const;

const columnsFor = (canOpenMap: boolean): ColumnDef<EnvironmentRow, unknown>[] => [
  {
    id: "name",
    header: "Name",
    accessorKey: "name",
    cell: ({ row }) => (
      <Link prefetch={false} href={`/environments/${row.original.id}`} className="font-medium underline-offset-4 hover:underline">
        {row.original.name}
      </Link>
    ),
  },
  {
    id: "tenant",
    header: "Tenant",
    accessorFn: (e) => `${e.tenantName} ${e.tenantSlug}`,
    cell: ({ row: { original: e } }) => (
      <span>
        {e.tenantName} <span className="font-mono text-xs text-muted-foreground">{e.tenantSlug}</span>
      </span>
    ),
  },
  {
    id: "stage",
    header: "Stage",
    accessorFn: (e) => STAGE_ORDER[e.stage],
    cell: ({ row }) => <Badge variant={row.original.stage === "production" ? "default" : "outline"}>{humanize(row.original.stage)}</Badge>,
  },
  {
    id: "ha",
    header: "HA",
    accessorKey: "haLevel",
    cell: ({ row }) => `${row.original.haLevel} ${row.original.haLevel === 1 ? "replica" : "replicas"}`,
  },
  {
    id: "status",
    header: "Status",
    accessorKey: "status",
    cell: ({ row }) => (
      <span className="inline-flex items-center gap-1.5" data-testid={`status-${row.original.name}`}>
        {isTransient(row.original.status) ? (
          <Loader2Icon aria-hidden="true" className="size-3.5 animate-spin text-muted-foreground" />
        ) : null}
        <StatusBadge status={row.original.status} />
      </span>
    ),
  },
  {
    id: "stateServer",
    header: "State server",
    accessorFn: (e) => e.stateServerName ?? "",
    cell: ({ row: { original: e } }) =>
      e.stateServerName ? (
        // Staff open the server on the placement map; a tenant's people see it on the environment's page.
        <Link
          prefetch={false}
          href={canOpenMap ? `/placement?server=${encodeURIComponent(e.stateServerName)}` : `/environments/${e.id}`}
          className="font-mono text-xs underline-offset-4 hover:underline"
        >
          {e.stateServerName}
        </Link>
      ) : (
        <span className="text-muted-foreground">Not assigned</span>
      ),
  },
  { id: "created", header: "Created", accessorKey: "createdAt", cell: ({ row }) => formatDate(row.original.createdAt) },
];

export function EnvironmentList({ canOpenMap = false }: { canOpenMap?: boolean }) {
  const trpc = useTRPC();
  const pager = useCursorPagination();
  const query = useQuery(
    trpc.environment.list.queryOptions(pageInput(pager.cursor), {
      placeholderData: keepPreviousData,
      // Live status without a refresh: poll quickly while an environment is changing.
      refetchInterval: (q) => (q.state.data?.items.some((e) => isTransient(e.status)) ? LIVE_INTERVAL_MS : IDLE_INTERVAL_MS),
    }),
  );
  const total = query.data?.total;
  return (
    <PagedGrid<EnvironmentRow>
      label="Environments"
      query={query}
      pager={pager}
      columns={columnsFor(canOpenMap)}
      toolbar={
        total !== undefined && total > 0 ? (
          <span className="text-sm text-muted-foreground" data-testid="environment-total">
            {total} {total === 1 ? "environment" : "environments"} in all
          </span>
        ) : undefined
      }
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
