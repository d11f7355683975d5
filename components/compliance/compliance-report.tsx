"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { ShieldCheckIcon } from "lucide-react";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { DataGrid } from "@/components/ui/data-grid";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format-date";
import { QueryErrorAlert, describeError } from "@/components/ui/query-error-alert";
import { Skeleton } from "@/components/ui/skeleton";
import type { HaLevel } from "@/server/core/model";

type Violation = {
  key: string;
  rule: string;
  kind: string;
  message: string;
  remediation: string;
  tenantName: string | null;
  target: { type: "environment" | "replica"; id: string; name: string };
  fix: { action: "replace" } | { action: "set_ha"; haLevel: number } | { action: "move_dedicated" } | { action: "manual" };
};

/** Environment-level fixes go through the environment's own tracked jobs (HA change, move). */
function FixAction({ v, onDone }: { v: Violation; onDone: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const onError = (e: unknown) => toast.error(describeError(e).message);
  const setHa = useMutation(
    trpc.environment.setHa.mutationOptions({
      onSuccess: async () => (await onDone(), toast.success(`HA change of ${v.target.name} started`)),
      onError,
    }),
  );
  const move = useMutation(
    trpc.environment.move.mutationOptions({
      onSuccess: async () => (await onDone(), toast.success(`Move of ${v.target.name} started`)),
      onError,
    }),
  );
  if (v.fix.action === "set_ha") {
    const haLevel = v.fix.haLevel as HaLevel;
    return (
      <ConfirmButton
        label={`Raise HA to ${haLevel}`}
        variant="outline"
        title={`Raise ${v.target.name} to ${haLevel} replicas?`}
        description="New replicas start before anything else changes; the tenant's replica quota is charged."
        confirmLabel="Raise HA"
        onConfirm={() => setHa.mutate({ id: v.target.id, haLevel })}
      />
    );
  }
  if (v.fix.action === "move_dedicated") {
    return (
      <ConfirmButton
        label="Move to dedicated"
        variant="outline"
        title={`Move ${v.target.name} to a dedicated state server?`}
        description="A dedicated server is created for the tenant; the environment moves make-before-break."
        confirmLabel="Move"
        onConfirm={() => move.mutate({ id: v.target.id, target: "dedicated" })}
      />
    );
  }
  return null;
}

const columns: ColumnDef<Violation, unknown>[] = [
  { id: "rule", header: "Rule", accessorKey: "rule", cell: ({ row }) => <span className="font-mono text-xs">{row.original.rule}</span> },
  {
    id: "target",
    header: "Breaks it",
    accessorFn: (v) => `${v.target.type} ${v.target.name}`,
    cell: ({ row: { original: v } }) => (
      <span className="flex items-center gap-2">
        <Badge variant="outline">{v.target.type}</Badge>
        {v.target.name}
      </span>
    ),
  },
  { id: "tenant", header: "Tenant", accessorFn: (v) => v.tenantName ?? "—" },
  { id: "why", header: "Why", accessorKey: "message" },
  { id: "fix", header: "Remediation", accessorKey: "remediation" },
];

export function ComplianceReport({ canApply }: { canApply: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.compliance.report.queryOptions());
  const apply = useMutation(
    trpc.compliance.applyPlan.mutationOptions({
      onSuccess: async (r) => {
        await queryClient.invalidateQueries({ queryKey: trpc.compliance.report.queryKey() });
        toast.success(`${r.applied} replica move(s) scheduled`);
      },
      onError: (e) => toast.error(describeError(e).message),
    }),
  );
  if (query.isPending) return <Skeleton className="h-48 w-full" />;
  if (!query.data) return <QueryErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const { violations, plan, checkedAt, rules } = query.data;
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.compliance.report.queryKey() });
  const gridColumns: ColumnDef<Violation, unknown>[] = canApply
    ? [...columns, { id: "action", header: "", enableSorting: false, cell: ({ row }) => <FixAction v={row.original} onDone={refresh} /> }]
    : columns;
  return (
    <div className="flex flex-col gap-6">
      <p className="text-sm text-muted-foreground">
        Checked {formatDateTime(checkedAt)} against {rules} active rule(s) and every zone grant.
      </p>
      <DataGrid
        caption="Violations"
        columns={gridColumns}
        data={violations as Violation[]}
        rowKey={(v) => v.key}
        empty={
          <EmptyState
            icon={<ShieldCheckIcon />}
            title="Everything complies"
            description="No environment or replica breaks a rule. When a rule or grant changes, anything it breaks shows up here with a remediation."
          />
        }
      />
      {plan.moves.length || plan.unplaced.length ? (
        <Card>
          <CardHeader className="flex flex-row items-start justify-between gap-2">
            <div>
              <CardTitle>Re-place plan</CardTitle>
              <CardDescription>Proposed by the placement engine under the current rules; everything else stays put.</CardDescription>
            </div>
            {canApply && plan.moves.length ? (
              <ConfirmButton
                label="Apply plan"
                variant="default"
                title={`Move ${plan.moves.length} replica(s)?`}
                description="Each replica is scheduled on its new host; the agents start it there and stop the old one."
                confirmLabel="Apply plan"
                onConfirm={() => apply.mutate({ moves: plan.moves.map((m) => ({ replicaId: m.replicaId, to: m.to })) })}
              />
            ) : null}
          </CardHeader>
          <CardContent className="flex flex-col gap-2 text-sm">
            <ul className="list-disc pl-5" aria-label="Planned moves">
              {plan.moves.map((m) => (
                <li key={m.replicaId}>
                  {m.stateServerName}#{m.ordinal}: {m.fromName} → {m.toName}
                </li>
              ))}
            </ul>
            {plan.unplaced.length ? (
              <div role="alert" className="text-destructive">
                <p className="font-medium">No compliant host for:</p>
                <ul className="list-disc pl-5">
                  {plan.unplaced.map((u) => (
                    <li key={u.replicaId}>
                      {u.stateServerName}#{u.ordinal}: {u.message}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}
