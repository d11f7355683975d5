"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { LayersIcon } from "lucide-react";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/badge";
import { pageInput } from "@/components/ui/cursor-pagination";
import type { Column } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDate } from "@/components/ui/format-date";
import { ListView } from "@/components/ui/list-view";
import { humanize, StatusBadge } from "@/components/ui/status-badge";
import { useCursorPagination } from "@/components/ui/use-cursor-pagination";

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
  { id: "name", header: "Name", cell: (e) => <span className="font-medium">{e.name}</span>, sortValue: (e) => e.name },
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
  { id: "status", header: "Status", cell: (e) => <StatusBadge status={e.status} />, sortValue: (e) => e.status },
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
    trpc.environment.list.queryOptions(pageInput(pager.cursor), { placeholderData: keepPreviousData }),
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
