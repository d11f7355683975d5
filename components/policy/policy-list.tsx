"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ScrollTextIcon } from "lucide-react";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/badge";
import { pageInput } from "@/components/ui/cursor-pagination";
import type { Column } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ListView } from "@/components/ui/list-view";
import { humanize } from "@/components/ui/status-badge";
import { useCursorPagination } from "@/components/ui/use-cursor-pagination";

type PolicyRow = {
  id: string;
  kind: string;
  name: string;
  enabled: boolean;
  builtIn: boolean;
  description: string;
};

const columns: Column<PolicyRow>[] = [
  {
    id: "name",
    header: "Name",
    cell: (p) => (
      <div className="flex max-w-xl flex-col gap-0.5">
        <span className="font-medium">{p.name}</span>
        <span className="text-xs text-muted-foreground">{p.description}</span>
      </div>
    ),
    sortValue: (p) => p.name,
  },
  { id: "kind", header: "Kind", cell: (p) => humanize(p.kind), sortValue: (p) => p.kind },
  {
    id: "enabled",
    header: "Enabled",
    cell: (p) => <Badge variant={p.enabled ? "success" : "secondary"}>{p.enabled ? "Enabled" : "Disabled"}</Badge>,
    sortValue: (p) => p.enabled,
  },
  {
    id: "source",
    header: "Source",
    cell: (p) => (p.builtIn ? <Badge variant="outline">Built-in</Badge> : "Custom"),
    sortValue: (p) => p.builtIn,
  },
];

export function PolicyList() {
  const trpc = useTRPC();
  const pager = useCursorPagination();
  const query = useQuery(trpc.policy.list.queryOptions(pageInput(pager.cursor), { placeholderData: keepPreviousData }));
  return (
    <ListView<PolicyRow>
      label="Policies"
      query={query}
      pager={pager}
      columns={columns}
      rowKey={(p) => p.id}
      empty={
        <EmptyState
          icon={<ScrollTextIcon />}
          title="No policies yet"
          description="Policies are the rules every change and every placement is checked against: zone grants, minimum HA per stage, dedicated production servers, tenants that never share a host."
        />
      }
    />
  );
}
