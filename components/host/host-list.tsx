"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ServerIcon } from "lucide-react";
import { useTRPC } from "@/components/providers/trpc";
import { pageInput } from "@/components/ui/cursor-pagination";
import type { Column } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format-date";
import { ListView } from "@/components/ui/list-view";
import { StatusBadge } from "@/components/ui/status-badge";
import { useCursorPagination } from "@/components/ui/use-cursor-pagination";
import { formatCpu, formatMemory } from "./format-capacity";

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

const columns: Column<HostRow>[] = [
  { id: "name", header: "Name", cell: (h) => <span className="font-medium">{h.name}</span>, sortValue: (h) => h.name },
  { id: "zone", header: "Zone", cell: (h) => h.zoneName, sortValue: (h) => h.zoneName },
  { id: "domain", header: "Failure domain", cell: (h) => h.failureDomain, sortValue: (h) => h.failureDomain },
  { id: "state", header: "State", cell: (h) => <StatusBadge status={h.state} />, sortValue: (h) => h.state },
  { id: "cpu", header: "CPU", cell: (h) => formatCpu(h.cpuMillis), sortValue: (h) => h.cpuMillis, align: "right" },
  {
    id: "memory",
    header: "Memory",
    cell: (h) => formatMemory(h.memoryMiB),
    sortValue: (h) => h.memoryMiB,
    align: "right",
  },
  {
    id: "replicas",
    header: "Replicas",
    cell: (h) => `${h.replicaCount} / ${h.maxReplicas}`,
    sortValue: (h) => h.replicaCount,
    align: "right",
  },
  {
    id: "heartbeat",
    header: "Last heartbeat",
    cell: (h) => formatDateTime(h.lastHeartbeatAt),
    sortValue: (h) => h.lastHeartbeatAt,
  },
];

export function HostList() {
  const trpc = useTRPC();
  const pager = useCursorPagination();
  const query = useQuery(trpc.host.list.queryOptions(pageInput(pager.cursor), { placeholderData: keepPreviousData }));
  return (
    <ListView<HostRow>
      label="Hosts"
      query={query}
      pager={pager}
      columns={columns}
      rowKey={(h) => h.id}
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
