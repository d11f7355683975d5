"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { ServerIcon } from "lucide-react";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { PagedGrid } from "@/components/ui/paged-grid";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { pageInput } from "@/components/ui/cursor-pagination";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format-date";
import { describeError } from "@/components/ui/query-error-alert";
import { StatusBadge } from "@/components/ui/status-badge";
import { useCursorPagination } from "@/components/ui/use-cursor-pagination";
import { DrainDialog } from "./drain-dialog";
import { formatCpu, formatMemory } from "./format-capacity";
import { RegisterHostDialog } from "./register-host-dialog";

type HostRow = {
  id: string;
  name: string;
  zoneName: string;
  failureDomain: string;
  state: "ready" | "cordoned" | "draining" | "down";
  cpuMillis: number;
  memoryMiB: number;
  maxReplicas: number;
  replicaCount: number;
  lastHeartbeatAt: Date | null;
};

const baseColumns: ColumnDef<HostRow, unknown>[] = [
  { id: "name", header: "Name", accessorKey: "name", cell: ({ row }) => <span className="font-medium">{row.original.name}</span> },
  { id: "zone", header: "Zone", accessorKey: "zoneName" },
  { id: "domain", header: "Failure domain", accessorKey: "failureDomain" },
  { id: "state", header: "State", accessorKey: "state", cell: ({ row }) => <StatusBadge status={row.original.state} /> },
  { id: "cpu", header: "CPU", accessorKey: "cpuMillis", cell: ({ row }) => formatCpu(row.original.cpuMillis), enableGlobalFilter: false },
  {
    id: "memory",
    header: "Memory",
    accessorKey: "memoryMiB",
    cell: ({ row }) => formatMemory(row.original.memoryMiB),
    enableGlobalFilter: false,
  },
  {
    id: "replicas",
    header: "Replicas",
    accessorKey: "replicaCount",
    cell: ({ row }) => `${row.original.replicaCount} / ${row.original.maxReplicas}`,
    enableGlobalFilter: false,
  },
  {
    id: "heartbeat",
    header: "Last heartbeat",
    accessorFn: (h) => h.lastHeartbeatAt?.getTime() ?? 0,
    cell: ({ row }) => formatDateTime(row.original.lastHeartbeatAt),
    enableGlobalFilter: false,
  },
];

export function HostList({ canEdit = false }: { canEdit?: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pager = useCursorPagination();
  const query = useQuery(trpc.host.list.queryOptions(pageInput(pager.cursor), { placeholderData: keepPreviousData }));
  const setState = useMutation(
    trpc.host.setState.mutationOptions({
      onSuccess: async (h) => {
        await queryClient.invalidateQueries({ queryKey: trpc.host.list.queryKey() });
        toast.success(`${h.name} is now ${h.state}`);
      },
      onError: (e) => toast.error(describeError(e).message),
    }),
  );
  const drain = useMutation(
    trpc.host.drain.mutationOptions({
      onSuccess: async (r) => {
        await queryClient.invalidateQueries({ queryKey: trpc.host.list.queryKey() });
        toast.success(
          `${r.host.name} is now draining: ${r.moved.length} replicas moving${r.unplaced.length ? `, ${r.unplaced.length} have nowhere to go and stay` : ""}`,
        );
      },
      onError: (e) => toast.error(describeError(e).message),
    }),
  );
  const columns: ColumnDef<HostRow, unknown>[] = canEdit
    ? [
        ...baseColumns,
        {
          id: "actions",
          header: "",
          enableSorting: false,
          cell: ({ row: { original: h } }) => (
            <div className="flex justify-end gap-2">
              {h.state === "ready" ? (
                <ConfirmButton
                  label="Cordon"
                  variant="outline"
                  title={`Cordon ${h.name}?`}
                  description="No new replicas are placed on it; running replicas stay."
                  confirmLabel="Cordon"
                  onConfirm={() => setState.mutate({ hostId: h.id, action: "cordon" })}
                />
              ) : null}
              {h.state === "cordoned" || h.state === "draining" ? (
                <Button variant="outline" size="sm" onClick={() => setState.mutate({ hostId: h.id, action: "uncordon" })}>
                  Uncordon
                </Button>
              ) : null}
              {h.state === "ready" || h.state === "cordoned" ? (
                <DrainDialog hostId={h.id} hostName={h.name} onConfirm={() => drain.mutate({ hostId: h.id })} />
              ) : null}
            </div>
          ),
        },
      ]
    : baseColumns;
  return (
    <PagedGrid<HostRow>
      label="Hosts"
      query={query}
      pager={pager}
      columns={columns}
      rowKey={(h) => h.id}
      toolbar={canEdit ? <RegisterHostDialog /> : undefined}
      empty={
        <EmptyState
          icon={<ServerIcon />}
          title="No hosts have joined yet"
          description="Hosts appear here when a host agent registers with a one-time join token. Each host then reports its capacity and replicas by heartbeat."
        />
      }
    />
  );
}
