"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { Field, Select, ZodForm } from "@/components/admin/field";
import { useZodForm } from "@/components/admin/use-zod-form";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { ZCreateZoneInput } from "@/server/contracts/zone";

type ZoneValues = {
  name: string;
  purpose: "control_plane" | "workload" | "restricted";
  isolation: "shared" | "dedicated";
  description: string;
};
const EMPTY: ZoneValues = { name: "", purpose: "workload", isolation: "shared", description: "" };

/** Create a zone, or edit one when `zone` is given. */
export function ZoneFormDialog({ zone, trigger }: { zone?: ZoneValues & { id: string }; trigger: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const initial: ZoneValues = zone
    ? { name: zone.name, purpose: zone.purpose, isolation: zone.isolation, description: zone.description }
    : EMPTY;
  const form = useZodForm(ZCreateZoneInput, initial);
  const done = async (message: string) => {
    await queryClient.invalidateQueries({ queryKey: trpc.zone.list.queryKey() });
    setOpen(false);
    toast.success(message);
  };
  const create = useMutation(trpc.zone.create.mutationOptions({ onSuccess: (z) => done(`Zone ${z.name} created`), onError: form.fail }));
  const update = useMutation(trpc.zone.update.mutationOptions({ onSuccess: (z) => done(`Zone ${z.name} saved`), onError: form.fail }));
  return (
    <Dialog open={open} onOpenChange={(o) => (setOpen(o), form.reset(initial))}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{zone ? `Edit ${zone.name}` : "New security zone"}</DialogTitle>
        </DialogHeader>
        <ZodForm
          form={form}
          onValid={(data) => {
            if (zone) update.mutate({ zoneId: zone.id, ...data });
            else create.mutate(data);
          }}
        >
          <Field label="Zone name" error={form.errors.name}>
            {(p) => <Input {...p} value={form.values.name} onChange={(e) => form.set("name", e.target.value)} />}
          </Field>
          <Field label="Purpose" error={form.errors.purpose}>
            {(p) => (
              <Select {...p} value={form.values.purpose} onChange={(e) => form.set("purpose", e.target.value as ZoneValues["purpose"])}>
                <option value="control_plane">Control plane</option>
                <option value="workload">Workload</option>
                <option value="restricted">Restricted</option>
              </Select>
            )}
          </Field>
          <Field label="Isolation" error={form.errors.isolation} hint="Dedicated: each host serves a single tenant">
            {(p) => (
              <Select
                {...p}
                value={form.values.isolation}
                onChange={(e) => form.set("isolation", e.target.value as ZoneValues["isolation"])}
              >
                <option value="shared">Shared</option>
                <option value="dedicated">Dedicated per tenant</option>
              </Select>
            )}
          </Field>
          <Field label="Description" error={form.errors.description}>
            {(p) => <Input {...p} value={form.values.description ?? ""} onChange={(e) => form.set("description", e.target.value)} />}
          </Field>
          <DialogFooter>
            <Button type="submit" disabled={create.isPending || update.isPending}>
              {zone ? "Save zone" : "Create zone"}
            </Button>
          </DialogFooter>
        </ZodForm>
      </DialogContent>
    </Dialog>
  );
}
