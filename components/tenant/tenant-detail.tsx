"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Field, ZodForm } from "@/components/admin/field";
import { useZodForm } from "@/components/admin/use-zod-form";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { QueryErrorAlert, describeError } from "@/components/ui/query-error-alert";
import { Skeleton } from "@/components/ui/skeleton";
import { StatusBadge } from "@/components/ui/status-badge";
import { ZRenameTenantInput } from "@/server/contracts/tenant";
import { TenantGrantsCard } from "./tenant-grants-card";
import { TenantMembersCard } from "./tenant-members-card";
import { TenantQuotaCard } from "./tenant-quota-card";

export function useTenantInvalidate(tenantId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.tenant.get.queryKey({ tenantId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.tenant.list.queryKey() }),
    ]);
}

export function TenantDetail({ tenantId, canEdit }: { tenantId: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const invalidate = useTenantInvalidate(tenantId);
  const query = useQuery(trpc.tenant.get.queryOptions({ tenantId }));
  const setStatus = useMutation(
    trpc.tenant.setStatus.mutationOptions({
      onSuccess: async (t) => {
        await invalidate();
        toast.success(t.status === "suspended" ? "Tenant suspended" : "Tenant resumed");
      },
      onError: (e) => toast.error(describeError(e).message),
    }),
  );
  const remove = useMutation(
    trpc.tenant.remove.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        toast.success("Tenant deleted");
        router.push("/admin/tenants");
      },
      onError: (e) => toast.error(describeError(e).message),
    }),
  );
  if (query.isPending) return <Skeleton className="h-64 w-full" />;
  if (!query.data) return <QueryErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const t = query.data;
  const suspended = t.status === "suspended";
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-xl font-semibold">{t.name}</h2>
        <span className="font-mono text-sm text-muted-foreground">{t.slug}</span>
        <StatusBadge status={t.status} />
        <span className="text-sm text-muted-foreground">{t.environmentCount} environment(s)</span>
        {canEdit ? (
          <div className="ml-auto flex gap-2">
            <RenameDialog tenantId={t.id} name={t.name} onDone={invalidate} />
            <ConfirmButton
              label={suspended ? "Resume" : "Suspend"}
              variant={suspended ? "outline" : "destructive"}
              title={suspended ? `Resume ${t.name}?` : `Suspend ${t.name}?`}
              description={
                suspended
                  ? "Members can create environments again."
                  : "Its environments keep running, but nothing new can be created until you resume it."
              }
              confirmLabel={suspended ? "Resume" : "Suspend"}
              onConfirm={() => setStatus.mutate({ tenantId: t.id, status: suspended ? "active" : "suspended" })}
            />
            <ConfirmButton
              label="Delete"
              title={`Delete ${t.name}?`}
              description={
                t.environmentCount > 0
                  ? `It still has ${t.environmentCount} environment(s); they must be removed first.`
                  : "The tenant, its members' access, quota and zone grants are deleted. The audit trail keeps the record."
              }
              confirmLabel="Delete tenant"
              disabled={t.environmentCount > 0}
              onConfirm={() => remove.mutate({ tenantId: t.id })}
            />
          </div>
        ) : null}
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <TenantQuotaCard tenantId={t.id} quota={t.quota} canEdit={canEdit} />
        <TenantGrantsCard tenantId={t.id} grants={t.grants} canEdit={canEdit} />
      </div>
      <TenantMembersCard tenantId={t.id} members={t.members} canEdit={canEdit} />
    </div>
  );
}

function RenameDialog({ tenantId, name, onDone }: { tenantId: string; name: string; onDone: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const form = useZodForm(ZRenameTenantInput, { tenantId, name });
  const rename = useMutation(
    trpc.tenant.rename.mutationOptions({
      onSuccess: async () => {
        await onDone();
        setOpen(false);
        toast.success("Tenant renamed");
      },
      onError: form.fail,
    }),
  );
  return (
    <Dialog open={open} onOpenChange={(o) => (setOpen(o), form.reset({ tenantId, name }))}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          Rename
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Rename tenant</DialogTitle>
        </DialogHeader>
        <ZodForm form={form} onValid={(data) => rename.mutate(data)}>
          <Field label="Name" error={form.errors.name}>
            {(p) => <Input {...p} value={form.values.name} onChange={(e) => form.set("name", e.target.value)} />}
          </Field>
          <DialogFooter>
            <Button type="submit" disabled={rename.isPending}>
              Save
            </Button>
          </DialogFooter>
        </ZodForm>
      </DialogContent>
    </Dialog>
  );
}
