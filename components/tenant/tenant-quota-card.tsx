"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { Field, ZodForm } from "@/components/admin/field";
import { UsageBar } from "@/components/admin/usage-bar";
import { useZodForm } from "@/components/admin/use-zod-form";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { ZUpdateQuotaInput } from "@/server/contracts/tenant";
import { QUOTA_FIELDS } from "./quota-fields";
import { useTenantInvalidate } from "./tenant-detail";

type QuotaLine = { key: string; label: string; max: number; used: number; over: boolean };
type QuotaView = { lines: QuotaLine[]; overLimit: boolean } | null;

const LINE_TO_FIELD: Record<string, (typeof QUOTA_FIELDS)[number]["key"]> = {
  developmentEnvs: "maxDevelopmentEnvs",
  stagingEnvs: "maxStagingEnvs",
  productionEnvs: "maxProductionEnvs",
  replicas: "maxReplicas",
  cpuMillis: "maxCpuMillis",
  memoryMiB: "maxMemoryMiB",
};

export function TenantQuotaCard({ tenantId, quota, canEdit }: { tenantId: string; quota: QuotaView; canEdit: boolean }) {
  return (
    <Card>
      <CardHeader className="flex flex-row items-start justify-between gap-2">
        <div>
          <CardTitle>Quota</CardTitle>
          <CardDescription>Usage against limits; enforced atomically on every environment creation.</CardDescription>
        </div>
        {canEdit && quota ? <EditQuotaDialog tenantId={tenantId} lines={quota.lines} /> : null}
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        {!quota ? <p className="text-sm text-muted-foreground">No quota set: nothing can be created yet.</p> : null}
        {quota?.overLimit ? (
          <p role="status" className="text-sm text-destructive">
            A limit is below current usage: existing environments stay, new ones are refused.
          </p>
        ) : null}
        {quota?.lines.map((l) => (
          <UsageBar key={l.key} label={l.label} used={l.used} max={l.max} />
        ))}
      </CardContent>
    </Card>
  );
}

function EditQuotaDialog({ tenantId, lines }: { tenantId: string; lines: QuotaLine[] }) {
  const trpc = useTRPC();
  const invalidate = useTenantInvalidate(tenantId);
  const [open, setOpen] = useState(false);
  const initial = { tenantId, ...Object.fromEntries(lines.map((l) => [LINE_TO_FIELD[l.key]!, l.max])) };
  const form = useZodForm(ZUpdateQuotaInput, initial);
  const update = useMutation(
    trpc.quota.update.mutationOptions({
      onSuccess: async (view) => {
        await invalidate();
        setOpen(false);
        if (view.overLimit) toast.warning("Quota saved; a limit is now below usage and blocks new creations");
        else toast.success("Quota saved");
      },
      onError: form.fail,
    }),
  );
  const values = form.values as Record<string, unknown>;
  return (
    <Dialog open={open} onOpenChange={(o) => (setOpen(o), form.reset(initial))}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          Edit quota
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Edit quota</DialogTitle>
          <DialogDescription>Lowering a limit below usage is allowed: it only blocks new creations.</DialogDescription>
        </DialogHeader>
        <ZodForm form={form} className="grid grid-cols-2 gap-3" errorClassName="col-span-2" onValid={(data) => update.mutate(data)}>
          {QUOTA_FIELDS.map((f) => {
            const used = lines.find((l) => LINE_TO_FIELD[l.key] === f.key)?.used ?? 0;
            const value = values[f.key] as number | undefined;
            return (
              <Field
                key={f.key}
                label={f.label}
                error={form.errors[f.key]}
                hint={value !== undefined && value < used ? `below usage (${used})` : `in use: ${used}`}
              >
                {(p) => (
                  <Input
                    {...p}
                    type="number"
                    min={0}
                    value={Number.isNaN(value) || value === undefined ? "" : String(value)}
                    onChange={(e) => form.set(f.key, e.target.value === "" ? Number.NaN : Number(e.target.value))}
                  />
                )}
              </Field>
            );
          })}
          <DialogFooter className="col-span-2">
            <Button type="submit" disabled={update.isPending}>
              Save quota
            </Button>
          </DialogFooter>
        </ZodForm>
      </DialogContent>
    </Dialog>
  );
}
