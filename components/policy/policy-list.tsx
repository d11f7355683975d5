"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { PlusIcon, ScrollTextIcon } from "lucide-react";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { PagedGrid } from "@/components/ui/paged-grid";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { pageInput } from "@/components/ui/cursor-pagination";
import { EmptyState } from "@/components/ui/empty-state";
import { describeError } from "@/components/ui/query-error-alert";
import { POLICY_KIND_LABELS, type PolicyKind, RELAXABLE_BUILT_IN_KINDS } from "@/server/core/policy/rules";
import { useCursorPagination } from "@/components/ui/use-cursor-pagination";
import { type EditableRule, PolicyFormDialog } from "./policy-form-dialog";
import { describeParams } from "./policy-params-fields";

/** Custom rules and the built-in rules an admin may relax can be switched on and off. */
const switchable = (p: { builtIn: boolean; kind: PolicyKind }) => !p.builtIn || RELAXABLE_BUILT_IN_KINDS.includes(p.kind);

type PolicyRow = {
  id: string;
  kind: PolicyKind;
  name: string;
  enabled: boolean;
  builtIn: boolean;
  description: string;
  params: unknown;
};

export function PolicyList({ canEdit = false }: { canEdit?: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pager = useCursorPagination();
  const query = useQuery(trpc.policy.list.queryOptions(pageInput(pager.cursor), { placeholderData: keepPreviousData }));
  const tenants = useQuery(trpc.tenant.list.queryOptions({ limit: 100 }));
  const zones = useQuery(trpc.zone.list.queryOptions({ limit: 100 }));
  const names = new Map([...(tenants.data?.items ?? []), ...(zones.data?.items ?? [])].map((x) => [x.id, x.name]));
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.policy.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.compliance.report.queryKey() }),
    ]);
  const onError = (e: unknown) => toast.error(describeError(e).message);
  const update = useMutation(
    trpc.policy.update.mutationOptions({
      onSuccess: async (r) => (await refresh(), toast.success(`${r.name} ${r.enabled ? "enabled" : "disabled"}`)),
      onError,
    }),
  );
  const remove = useMutation(
    trpc.policy.remove.mutationOptions({ onSuccess: async () => (await refresh(), toast.success("Rule deleted")), onError }),
  );

  const columns: ColumnDef<PolicyRow, unknown>[] = [
    {
      id: "name",
      header: "Name",
      accessorFn: (p) => `${p.name} ${p.description}`,
      sortingFn: (a, b) => a.original.name.localeCompare(b.original.name),
      cell: ({ row: { original: p } }) => (
        <div className="flex max-w-xl flex-col gap-0.5">
          <span className="font-medium">{p.name}</span>
          <span className="text-xs text-muted-foreground">{p.description}</span>
        </div>
      ),
    },
    { id: "kind", header: "Kind", accessorFn: (p) => POLICY_KIND_LABELS[p.kind] ?? p.kind },
    {
      id: "params",
      header: "Settings",
      accessorFn: (p) => describeParams(p.kind, (p.params ?? {}) as Record<string, unknown>, names),
      enableSorting: false,
    },
    {
      id: "enabled",
      header: "Enabled",
      accessorFn: (p) => (p.enabled ? "enabled" : "disabled"),
      cell: ({ row: { original: p } }) =>
        canEdit && switchable(p) ? (
          <Button variant="outline" size="sm" aria-pressed={p.enabled} onClick={() => update.mutate({ id: p.id, enabled: !p.enabled })}>
            {p.enabled ? "Enabled" : "Disabled"}
          </Button>
        ) : (
          <Badge variant={p.enabled ? "success" : "secondary"}>{p.enabled ? "Enabled" : "Disabled"}</Badge>
        ),
    },
    {
      id: "source",
      header: "Source",
      accessorFn: (p) => (p.builtIn ? "built-in" : "custom"),
      cell: ({ row: { original: p } }) =>
        p.builtIn ? <Badge variant="outline">{switchable(p) ? "Built-in (on by default)" : "Built-in (always on)"}</Badge> : "Custom",
    },
    ...(canEdit
      ? [
          {
            id: "actions",
            header: "",
            enableSorting: false,
            cell: ({ row: { original: p } }: { row: { original: PolicyRow } }) =>
              p.builtIn ? null : (
                <div className="flex justify-end gap-2">
                  <PolicyFormDialog
                    rule={p as unknown as EditableRule}
                    trigger={
                      <Button variant="outline" size="sm">
                        Edit
                      </Button>
                    }
                  />
                  <ConfirmButton
                    label="Delete"
                    title={`Delete rule ${p.name}?`}
                    description="New changes are no longer checked against it. Nothing existing changes."
                    confirmLabel="Delete rule"
                    onConfirm={() => remove.mutate({ id: p.id })}
                  />
                </div>
              ),
          } satisfies ColumnDef<PolicyRow, unknown>,
        ]
      : []),
  ];
  return (
    <PagedGrid<PolicyRow>
      label="Policies"
      query={query}
      pager={pager}
      columns={columns}
      rowKey={(p) => p.id}
      toolbar={
        canEdit ? (
          <PolicyFormDialog
            trigger={
              <Button size="sm">
                <PlusIcon aria-hidden /> New rule
              </Button>
            }
          />
        ) : undefined
      }
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
