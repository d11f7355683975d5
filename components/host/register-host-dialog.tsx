"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { KeyRoundIcon } from "lucide-react";
import { useState } from "react";
import { Field, Select, ZodForm } from "@/components/admin/field";
import { useZodForm } from "@/components/admin/use-zod-form";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { formatDateTime } from "@/components/ui/format-date";
import { Input } from "@/components/ui/input";
import { ZRegisterHostInput } from "@/server/contracts/host";

/** Registering a host = a one-time join token for its agent, shown exactly once. */
export function RegisterHostDialog() {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const zones = useQuery({ ...trpc.zone.list.queryOptions({ limit: 100 }), enabled: open });
  const form = useZodForm(ZRegisterHostInput, { zoneId: "", failureDomain: undefined, ttlMinutes: 60 });
  const register = useMutation(trpc.host.register.mutationOptions({ onError: form.fail }));
  const token = register.data;
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) {
          register.reset();
          form.reset();
        }
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm">
          <KeyRoundIcon aria-hidden /> Register a host
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Register a host</DialogTitle>
          <DialogDescription>Creates a one-time join token. The host agent exchanges it for its own credential.</DialogDescription>
        </DialogHeader>
        {token ? (
          <div className="flex flex-col gap-3">
            <p className="text-sm">
              Join token for zone <strong>{token.zoneName}</strong>, valid until {formatDateTime(token.expiresAt)}. It is shown
              <strong> only once</strong>: copy it now.
            </p>
            <Input readOnly aria-label="Join token" value={token.token} className="font-mono text-xs" onFocus={(e) => e.target.select()} />
            <pre className="overflow-x-auto rounded bg-muted p-2 text-xs">STATEHOUSE_JOIN_TOKEN={token.token} npm run agent</pre>
            <DialogFooter>
              <Button onClick={() => void navigator.clipboard?.writeText(token.token)}>Copy token</Button>
            </DialogFooter>
          </div>
        ) : (
          <ZodForm form={form} onValid={(data) => register.mutate(data)}>
            <Field label="Security zone" error={form.errors.zoneId}>
              {(p) => (
                <Select {...p} value={form.values.zoneId} onChange={(e) => form.set("zoneId", e.target.value)}>
                  <option value="">Choose a zone…</option>
                  {zones.data?.items.map((z) => (
                    <option key={z.id} value={z.id}>
                      {z.name}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label="Failure domain" error={form.errors.failureDomain} hint="Optional; the agent may report its own">
              {(p) => (
                <Input
                  {...p}
                  value={form.values.failureDomain ?? ""}
                  onChange={(e) => form.set("failureDomain", e.target.value || undefined)}
                />
              )}
            </Field>
            <Field label="Valid for (minutes)" error={form.errors.ttlMinutes}>
              {(p) => (
                <Input
                  {...p}
                  type="number"
                  min={1}
                  value={String(form.values.ttlMinutes ?? "")}
                  onChange={(e) => form.set("ttlMinutes", Number(e.target.value))}
                />
              )}
            </Field>
            <DialogFooter>
              <Button type="submit" disabled={register.isPending}>
                Create join token
              </Button>
            </DialogFooter>
          </ZodForm>
        )}
      </DialogContent>
    </Dialog>
  );
}
