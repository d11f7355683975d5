"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { DownloadIcon, HistoryIcon, ShieldCheckIcon } from "lucide-react";
import { useState } from "react";
import { PagedGrid } from "@/components/ui/paged-grid";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { pageInput } from "@/components/ui/cursor-pagination";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format-date";
import { useCursorPagination } from "@/components/ui/use-cursor-pagination";
import Link from "next/link";
import { AuditTargetCell } from "./audit-target";
import { AuditFilters, type AuditFilterValues, exportHref, NO_FILTER, toApiFilter } from "./audit-filters";

type AuditRow = {
  id: string;
  at: Date;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  targetName: string | null;
  tenantId: string | null;
  tenantName: string | null;
  reason?: string | null;
};

const columns: ColumnDef<AuditRow, unknown>[] = [
  {
    id: "at",
    header: "Time",
    accessorFn: (a) => a.at.getTime(),
    cell: ({ row: { original: a } }) => (
      <time className="whitespace-nowrap" dateTime={a.at.toISOString()}>
        {formatDateTime(a.at)}
      </time>
    ),
    enableGlobalFilter: false,
  },
  { id: "actor", header: "Actor", accessorKey: "actorLabel" },
  {
    id: "action",
    header: "Action",
    accessorKey: "action",
    cell: ({ row }) => <span className="font-mono text-xs">{row.original.action}</span>,
  },
  {
    id: "target",
    header: "Target",
    accessorFn: (a) => `${a.targetType} ${a.targetName ?? a.targetId ?? ""}`,
    cell: ({ row: { original: a } }) => <AuditTargetCell target={a} />,
  },
  {
    id: "tenant",
    header: "Tenant",
    accessorFn: (a) => a.tenantName ?? "—",
    cell: ({ row: { original: a } }) =>
      a.tenantId && a.tenantName ? (
        <Link prefetch={false} href={`/admin/tenants/${a.tenantId}`} className="underline-offset-4 hover:underline">
          {a.tenantName}
        </Link>
      ) : (
        "—"
      ),
  },
  { id: "reason", header: "Reason", accessorFn: (a) => a.reason ?? "" },
];

export function AuditList() {
  const trpc = useTRPC();
  const pager = useCursorPagination();
  const [filter, setFilter] = useState<AuditFilterValues>(NO_FILTER);
  const query = useQuery(
    trpc.audit.list.queryOptions({ ...pageInput(pager.cursor), ...toApiFilter(filter) }, { placeholderData: keepPreviousData }),
  );
  const verify = useQuery({ ...trpc.audit.verify.queryOptions(), enabled: false });
  const filtered = Object.values(filter).some(Boolean);
  return (
    <div className="flex flex-col gap-4">
      <AuditFilters
        value={filter}
        onApply={(f) => {
          pager.reset();
          setFilter(f);
        }}
      />
      <div className="flex flex-wrap items-center gap-2">
        <Button asChild variant="outline" size="sm">
          <a href={exportHref(filter)} download>
            <DownloadIcon aria-hidden /> Export CSV
          </a>
        </Button>
        <Button variant="outline" size="sm" onClick={() => void verify.refetch()} disabled={verify.isFetching}>
          <ShieldCheckIcon aria-hidden /> {verify.isFetching ? "Verifying…" : "Verify hash chain"}
        </Button>
        {verify.data ? (
          <span role="status" className={verify.data.ok ? "text-sm text-emerald-700" : "text-sm font-medium text-destructive"}>
            {verify.data.ok
              ? `Chain intact: ${verify.data.events} events`
              : `Chain broken at event ${verify.data.brokenAt}: ${verify.data.message}`}
          </span>
        ) : null}
      </div>
      <PagedGrid<AuditRow>
        label="Audit events"
        query={query}
        pager={pager}
        columns={columns}
        rowKey={(a) => a.id}
        empty={
          <EmptyState
            icon={<HistoryIcon />}
            title={filtered ? "No events match these filters" : "No audit events yet"}
            description={
              filtered
                ? "Widen the time range or clear a filter."
                : "Every change (by a person, an agent or the controller) is recorded here, hash-chained and append-only."
            }
          />
        }
      />
    </div>
  );
}
