"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ShieldCheckIcon } from "lucide-react";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/badge";
import { pageInput } from "@/components/ui/cursor-pagination";
import type { Column } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ListView } from "@/components/ui/list-view";
import { humanize } from "@/components/ui/status-badge";
import { useCursorPagination } from "@/components/ui/use-cursor-pagination";

type ZoneRow = {
  id: string;
  name: string;
  purpose: "control_plane" | "workload" | "restricted";
  isolation: "shared" | "dedicated";
  hostCount: number;
};

const columns: Column<ZoneRow>[] = [
  { id: "name", header: "Name", cell: (z) => <span className="font-medium">{z.name}</span>, sortValue: (z) => z.name },
  {
    id: "purpose",
    header: "Purpose",
    cell: (z) => <Badge variant={z.purpose === "restricted" ? "warning" : "outline"}>{humanize(z.purpose)}</Badge>,
    sortValue: (z) => z.purpose,
  },
  { id: "isolation", header: "Isolation", cell: (z) => humanize(z.isolation), sortValue: (z) => z.isolation },
  { id: "hosts", header: "Hosts", cell: (z) => z.hostCount, sortValue: (z) => z.hostCount, align: "right" },
];

export function ZoneList() {
  const trpc = useTRPC();
  const pager = useCursorPagination();
  const query = useQuery(trpc.zone.list.queryOptions(pageInput(pager.cursor), { placeholderData: keepPreviousData }));
  return (
    <ListView<ZoneRow>
      label="Security zones"
      query={query}
      pager={pager}
      columns={columns}
      rowKey={(z) => z.id}
      empty={
        <EmptyState
          icon={<ShieldCheckIcon />}
          title="No security zones yet"
          description="Security zones group hosts by purpose (control plane, workload, restricted) and isolation. Administrators create them before hosts join."
        />
      }
    />
  );
}
