"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Field, Select, ZodForm } from "@/components/admin/field";
import { useZodForm } from "@/components/admin/use-zod-form";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { ZPolicyForm } from "@/server/contracts/policy";
import { BUILT_IN_ONLY_KINDS, POLICY_KIND_LABELS } from "@/server/core/policy/rules";
import { PolicyParamsFields } from "./policy-params-fields";

type Kind = "min_ha" | "production_dedicated" | "stage_separation" | "never_share" | "zone_reserved";
const KINDS = Object.keys(POLICY_KIND_LABELS).filter((k) => !(BUILT_IN_ONLY_KINDS as readonly string[]).includes(k)) as Kind[];
const DEFAULT_PARAMS: Record<Kind, Record<string, unknown>> = {
  min_ha: { stage: "production", minReplicas: 3 },
  production_dedicated: {},
  stage_separation: {},
  never_share: { tenantIds: ["", ""] },
  zone_reserved: { zoneId: "", tenantIds: [] },
};

export type EditableRule = { id: string; name: string; kind: Kind; params: Record<string, unknown>; description: string; enabled: boolean };

export function PolicyFormDialog({ rule, trigger }: { rule?: EditableRule; trigger: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const tenants = useQuery({ ...trpc.tenant.list.queryOptions({ limit: 100 }), enabled: open });
  const zones = useQuery({ ...trpc.zone.list.queryOptions({ limit: 100 }), enabled: open });
  const initial = rule
    ? { name: rule.name, kind: rule.kind, params: rule.params, description: rule.description, enabled: rule.enabled }
    : { name: "", kind: "min_ha" as Kind, params: DEFAULT_PARAMS.min_ha, description: "", enabled: true };
  const form = useZodForm(ZPolicyForm, initial);
  const done = async (message: string, broken = 0) => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.policy.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.compliance.report.queryKey() }),
    ]);
    setOpen(false);
    // A rule the current placement already breaks is a warning that stays until read, with the way to the fix.
    if (broken)
      toast.warning(message, {
        duration: Number.POSITIVE_INFINITY,
        action: { label: "Open Compliance", onClick: () => router.push("/admin/compliance") },
      });
    else toast.success(message);
  };
  const create = useMutation(
    trpc.policy.create.mutationOptions({
      onSuccess: (r) =>
        done(
          r.violations
            ? `Rule ${r.name} created, but ${r.violations} existing ${r.violations === 1 ? "item already breaks" : "items already break"} it: nothing moves by itself until you apply the remediation on Compliance`
            : `Rule ${r.name} created; everything existing complies`,
          r.violations,
        ),
      onError: form.fail,
    }),
  );
  const update = useMutation(
    trpc.policy.update.mutationOptions({
      onSuccess: (r) =>
        done(
          r.violations
            ? `Rule ${r.name} saved, but ${r.violations} existing ${r.violations === 1 ? "item already breaks" : "items already break"} it: see Compliance`
            : `Rule ${r.name} saved`,
          r.violations,
        ),
      onError: form.fail,
    }),
  );
  const kind = form.values.kind as Kind;
  return (
    <Dialog open={open} onOpenChange={(o) => (setOpen(o), form.reset(initial))}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>{rule ? `Edit ${rule.name}` : "New policy rule"}</DialogTitle>
          <DialogDescription>Every create and update is checked against it; a violation names the rule.</DialogDescription>
        </DialogHeader>
        <ZodForm
          form={form}
          onValid={(data) => {
            if (rule)
              update.mutate({ id: rule.id, name: data.name, params: data.params, description: data.description, enabled: data.enabled });
            else create.mutate(data);
          }}
        >
          <Field label="Rule name" error={form.errors.name} hint="Shown in every refusal, e.g. prod-min-3-replicas">
            {(p) => <Input {...p} value={form.values.name} onChange={(e) => form.set("name", e.target.value)} />}
          </Field>
          <Field label="Kind" error={form.errors.kind}>
            {(p) => (
              <Select
                {...p}
                disabled={Boolean(rule)}
                value={kind}
                onChange={(e) => {
                  const next = e.target.value as Kind;
                  form.set("kind", next);
                  form.set("params", DEFAULT_PARAMS[next]);
                }}
              >
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {POLICY_KIND_LABELS[k]}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <PolicyParamsFields
            kind={kind}
            params={(form.values.params ?? {}) as Record<string, unknown>}
            onChange={(params) => form.set("params", params)}
            errors={form.errors}
            tenants={tenants.data?.items ?? []}
            zones={zones.data?.items ?? []}
          />
          <Field label="Description" error={form.errors.description}>
            {(p) => <Input {...p} value={form.values.description ?? ""} onChange={(e) => form.set("description", e.target.value)} />}
          </Field>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={form.values.enabled ?? true} onChange={(e) => form.set("enabled", e.target.checked)} />
            Enabled
          </label>
          <DialogFooter>
            <Button type="submit" disabled={create.isPending || update.isPending}>
              {rule ? "Save rule" : "Create rule"}
            </Button>
          </DialogFooter>
        </ZodForm>
      </DialogContent>
    </Dialog>
  );
}
