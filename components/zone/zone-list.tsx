"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { PlusIcon, ShieldIcon } from "lucide-react";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { PagedGrid } from "@/components/ui/paged-grid";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { pageInput } from "@/components/ui/cursor-pagination";
import { EmptyState } from "@/components/ui/empty-state";
import { describeError } from "@/components/ui/query-error-alert";
import { humanize } from "@/components/ui/status-badge";
import { useCursorPagination } from "@/components/ui/use-cursor-pagination";
import { ZoneFormDialog } from "./zone-form-dialog";

type ZoneRow = {
  id: string;
  name: string;
  purpose: "control_plane" | "workload" | "restricted";
  isolation: "shared" | "dedicated";
  description?: string;
  hostCount: number;
};

export function ZoneList({ canEdit = false }: { canEdit?: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pager = useCursorPagination();
  const query = useQuery(trpc.zone.list.queryOptions(pageInput(pager.cursor), { placeholderData: keepPreviousData }));
  const remove = useMutation(
    trpc.zone.remove.mutationOptions({
      onSuccess: async () => (await queryClient.invalidateQueries({ queryKey: trpc.zone.list.queryKey() }), toast.success("Zone deleted")),
      onError: (e) => toast.error(describeError(e).message),
    }),
  );
  const columns: ColumnDef<ZoneRow, unknown>[] = [
    { id: "name", header: "Name", accessorKey: "name", cell: ({ row }) => <span className="font-medium">{row.original.name}</span> },
    {
      id: "purpose",
      header: "Purpose",
      accessorKey: "purpose",
      cell: ({ row }) => <Badge variant="outline">{humanize(row.original.purpose)}</Badge>,
    },
    {
      id: "isolation",
      header: "Isolation",
      accessorKey: "isolation",
      cell: ({ row }) => (row.original.isolation === "dedicated" ? "Dedicated per tenant" : "Shared"),
    },
    { id: "hosts", header: "Hosts", accessorKey: "hostCount" },
    ...(canEdit
      ? [
          {
            id: "actions",
            header: "",
            enableSorting: false,
            cell: ({ row: { original: z } }: { row: { original: ZoneRow } }) => (
              <div className="flex justify-end gap-2">
                <ZoneFormDialog
                  zone={{ ...z, description: z.description ?? "" }}
                  trigger={
                    <Button variant="outline" size="sm">
                      Edit
                    </Button>
                  }
                />
                <ConfirmButton
                  label="Delete"
                  title={`Delete zone ${z.name}?`}
                  description={z.hostCount ? `It still has ${z.hostCount} host(s); move them first.` : "Its grants are removed with it."}
                  confirmLabel="Delete zone"
                  disabled={z.hostCount > 0}
                  onConfirm={() => remove.mutate({ zoneId: z.id })}
                />
              </div>
            ),
          } satisfies ColumnDef<ZoneRow, unknown>,
        ]
      : []),
  ];
  const toolbar = canEdit ? (
    <ZoneFormDialog
      trigger={
        <Button size="sm">
          <PlusIcon aria-hidden /> New zone
        </Button>
      }
    />
  ) : undefined;
  return (
    <PagedGrid<ZoneRow>
      label="Zones"
      query={query}
      pager={pager}
      columns={columns}
      rowKey={(z) => z.id}
      toolbar={toolbar}
      empty={
        <EmptyState
          icon={<ShieldIcon />}
          title="No security zones yet"
          description="Zones group hosts by purpose (control plane, workload, restricted) and isolation. Tenants can only place environments in zones granted to them."
        />
      }
    />
  );
}
