"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { PlusIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Field, ZodForm } from "@/components/admin/field";
import { useZodForm } from "@/components/admin/use-zod-form";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { ZCreateTenantInput } from "@/server/contracts/tenant";
import { DEFAULT_QUOTA, QUOTA_FIELDS } from "./quota-fields";
import { slugify } from "./slugify";

export function CreateTenantDialog() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  // The slug follows the name until the admin edits it.
  const [slugEdited, setSlugEdited] = useState(false);
  const zones = useQuery({ ...trpc.zone.list.queryOptions({ limit: 100 }), enabled: open });
  const form = useZodForm(ZCreateTenantInput, { slug: "", name: "", quota: { ...DEFAULT_QUOTA }, zoneIds: [] });
  const create = useMutation(
    trpc.tenant.create.mutationOptions({
      onSuccess: async (tenant) => {
        await queryClient.invalidateQueries({ queryKey: trpc.tenant.list.queryKey() });
        toast.success(`Tenant ${tenant.name} created`);
        onOpenChange(false);
        router.push(`/admin/tenants/${tenant.id}`);
      },
      onError: form.fail,
    }),
  );
  const quota = form.values.quota ?? {};
  // Closing (cancel, Escape, outside click) discards what was typed: the dialog reopens clean.
  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (!next) {
      form.reset();
      setSlugEdited(false);
      create.reset();
    }
  };
  const zoneIds = form.values.zoneIds ?? [];
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button size="sm">
          <PlusIcon aria-hidden /> New tenant
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>New tenant</DialogTitle>
          <DialogDescription>An organisation with its own quota and security zones.</DialogDescription>
        </DialogHeader>
        <ZodForm form={form} onValid={(data) => create.mutate(data)}>
          <Field label="Name" error={form.errors.name}>
            {(p) => (
              <Input
                {...p}
                value={form.values.name}
                onChange={(e) => {
                  form.set("name", e.target.value);
                  if (!slugEdited) form.set("slug", slugify(e.target.value));
                }}
              />
            )}
          </Field>
          <Field label="Slug" error={form.errors.slug} hint="Lowercase letters, digits and dashes; used in URLs">
            {(p) => (
              <Input
                {...p}
                value={form.values.slug}
                onChange={(e) => {
                  setSlugEdited(true);
                  form.set("slug", e.target.value);
                }}
              />
            )}
          </Field>
          <fieldset className="grid grid-cols-2 gap-3">
            <legend className="mb-2 text-sm font-medium">Quota</legend>
            {QUOTA_FIELDS.map((f) => (
              <Field key={f.key} label={f.label} error={form.errors[`quota.${f.key}`]}>
                {(p) => (
                  <Input
                    {...p}
                    type="number"
                    min={0}
                    value={String(quota[f.key] ?? "")}
                    onChange={(e) => form.set("quota", { ...quota, [f.key]: e.target.value === "" ? Number.NaN : Number(e.target.value) })}
                  />
                )}
              </Field>
            ))}
          </fieldset>
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 text-sm font-medium">Security zones granted</legend>
            {zones.data?.items.length === 0 ? (
              <p className="text-sm text-muted-foreground">No zones yet: create one on the Zones page.</p>
            ) : null}
            {zones.data?.items.map((z) => (
              <label key={z.id} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={zoneIds.includes(z.id)}
                  onChange={(e) => form.set("zoneIds", e.target.checked ? [...zoneIds, z.id] : zoneIds.filter((id) => id !== z.id))}
                />
                {z.name}{" "}
                <span className="text-xs text-muted-foreground">
                  ({z.purpose.replace("_", " ")}, {z.isolation})
                </span>
              </label>
            ))}
          </fieldset>
          <DialogFooter>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create tenant"}
            </Button>
          </DialogFooter>
        </ZodForm>
      </DialogContent>
    </Dialog>
  );
}
