"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Building2Icon } from "lucide-react";
import { useTRPC } from "@/components/providers/trpc";
import { pageInput } from "@/components/ui/cursor-pagination";
import type { Column } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDate } from "@/components/ui/format-date";
import { ListView } from "@/components/ui/list-view";
import { StatusBadge } from "@/components/ui/status-badge";
import { useCursorPagination } from "@/components/ui/use-cursor-pagination";

type TenantRow = {
  id: string;
  slug: string;
  name: string;
  status: "active" | "suspended";
  memberCount: number;
  environmentCount: number;
  createdAt: Date;
};

const columns: Column<TenantRow>[] = [
  {
    id: "name",
    header: "Name",
    cell: (t) => (
      <div className="flex flex-col">
        <span className="font-medium">{t.name}</span>
        <span className="font-mono text-xs text-muted-foreground">{t.slug}</span>
      </div>
    ),
    sortValue: (t) => t.name,
  },
  { id: "status", header: "Status", cell: (t) => <StatusBadge status={t.status} />, sortValue: (t) => t.status },
  { id: "members", header: "Members", cell: (t) => t.memberCount, sortValue: (t) => t.memberCount, align: "right" },
  {
    id: "environments",
    header: "Environments",
    cell: (t) => t.environmentCount,
    sortValue: (t) => t.environmentCount,
    align: "right",
  },
  { id: "created", header: "Created", cell: (t) => formatDate(t.createdAt), sortValue: (t) => t.createdAt },
];

export function TenantList() {
  const trpc = useTRPC();
  const pager = useCursorPagination();
  const query = useQuery(trpc.tenant.list.queryOptions(pageInput(pager.cursor), { placeholderData: keepPreviousData }));
  return (
    <ListView<TenantRow>
      label="Tenants"
      query={query}
      pager={pager}
      columns={columns}
      rowKey={(t) => t.id}
      empty={
        <EmptyState
          icon={<Building2Icon />}
          title="No tenants yet"
          description="Tenants are the organisations on the platform. Administrators create them; each holds its members, quotas, zone grants and environments."
        />
      }
    />
  );
}
