"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { HistoryIcon } from "lucide-react";
import { useTRPC } from "@/components/providers/trpc";
import { pageInput } from "@/components/ui/cursor-pagination";
import type { Column } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format-date";
import { ListView } from "@/components/ui/list-view";
import { humanize } from "@/components/ui/status-badge";
import { useCursorPagination } from "@/components/ui/use-cursor-pagination";

type AuditRow = {
  id: string;
  at: Date;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  tenantName: string | null;
};

const columns: Column<AuditRow>[] = [
  {
    id: "at",
    header: "Time",
    cell: (a) => <time dateTime={a.at.toISOString()}>{formatDateTime(a.at)}</time>,
    sortValue: (a) => a.at,
    className: "whitespace-nowrap",
  },
  { id: "actor", header: "Actor", cell: (a) => a.actorLabel, sortValue: (a) => a.actorLabel },
  { id: "action", header: "Action", cell: (a) => <span className="font-mono text-xs">{a.action}</span>, sortValue: (a) => a.action },
  {
    id: "target",
    header: "Target",
    cell: (a) => (
      <span>
        {humanize(a.targetType)}
        {a.targetId ? (
          <span className="ml-1 font-mono text-xs text-muted-foreground" title={a.targetId}>
            {a.targetId.slice(0, 8)}
          </span>
        ) : null}
      </span>
    ),
    sortValue: (a) => a.targetType,
  },
  {
    id: "tenant",
    header: "Tenant",
    cell: (a) => a.tenantName ?? <span className="text-muted-foreground">Platform</span>,
    sortValue: (a) => a.tenantName,
  },
];

export function AuditList() {
  const trpc = useTRPC();
  const pager = useCursorPagination();
  const query = useQuery(trpc.audit.list.queryOptions(pageInput(pager.cursor), { placeholderData: keepPreviousData }));
  return (
    <ListView<AuditRow>
      label="Audit events"
      query={query}
      pager={pager}
      columns={columns}
      rowKey={(a) => a.id}
      empty={
        <EmptyState
          icon={<HistoryIcon />}
          title="No audit events yet"
          description="Every change on the platform (tenants, environments, hosts, policies, placement moves) is recorded here with who made it and why."
        />
      }
    />
  );
}
