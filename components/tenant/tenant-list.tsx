"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { Building2Icon } from "lucide-react";
import Link from "next/link";
import { PagedGrid } from "@/components/ui/paged-grid";
import { useTRPC } from "@/components/providers/trpc";
import { pageInput } from "@/components/ui/cursor-pagination";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDate } from "@/components/ui/format-date";
import { StatusBadge } from "@/components/ui/status-badge";
import { useCursorPagination } from "@/components/ui/use-cursor-pagination";
import { CreateTenantDialog } from "./create-tenant-dialog";

type TenantRow = {
  id: string;
  slug: string;
  name: string;
  status: "active" | "suspended";
  memberCount: number;
  environmentCount: number;
  createdAt: Date;
};

const columns: ColumnDef<TenantRow, unknown>[] = [
  {
    id: "name",
    header: "Name",
    accessorFn: (t) => `${t.name} ${t.slug}`,
    sortingFn: (a, b) => a.original.name.localeCompare(b.original.name),
    cell: ({ row: { original: t } }) => (
      <div className="flex flex-col">
        <Link prefetch={false} href={`/admin/tenants/${t.id}`} className="font-medium underline-offset-4 hover:underline">
          {t.name}
        </Link>
        <span className="font-mono text-xs text-muted-foreground">{t.slug}</span>
      </div>
    ),
  },
  { id: "status", header: "Status", accessorKey: "status", cell: ({ row }) => <StatusBadge status={row.original.status} /> },
  { id: "members", header: "Members", accessorKey: "memberCount" },
  { id: "environments", header: "Environments", accessorKey: "environmentCount" },
  {
    id: "created",
    header: "Created",
    accessorFn: (t) => t.createdAt,
    cell: ({ row }) => formatDate(row.original.createdAt),
    enableGlobalFilter: false,
  },
];

export function TenantList({ canEdit = false }: { canEdit?: boolean }) {
  const trpc = useTRPC();
  const pager = useCursorPagination();
  const query = useQuery(trpc.tenant.list.queryOptions(pageInput(pager.cursor), { placeholderData: keepPreviousData }));
  const create = canEdit ? <CreateTenantDialog /> : undefined;
  return (
    <PagedGrid<TenantRow>
      label="Tenants"
      query={query}
      pager={pager}
      columns={columns}
      rowKey={(t) => t.id}
      toolbar={create}
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
