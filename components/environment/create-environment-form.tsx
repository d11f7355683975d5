"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Loader2Icon } from "lucide-react";
import Link from "next/link";
import { useEffect, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { QueryErrorAlert } from "@/components/ui/query-error-alert";
import { ZCreateEnvironmentInput } from "@/server/contracts/environment";
import { CreatePreview } from "./create-preview";
import { CreatedProgress } from "./created-progress";
import { NativeSelect } from "./native-select";
import { SecretOnce } from "./secret-once";
import type { HaLevel } from "@/server/core/model";
import { tenantLabel } from "@/components/tenant/tenant-label";

const STAGES = ["development", "staging", "production"] as const;
type Stage = (typeof STAGES)[number];
const HA_LEVELS = [1, 3, 5] as const;

/** Waits until the value has been still for `ms` (the preview follows typing without a request per key). */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function CreateEnvironmentForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = useQuery(trpc.environment.createOptions.queryOptions());
  const [tenantId, setTenantId] = useState("");
  const [zoneId, setZoneId] = useState("");
  const [name, setName] = useState("");
  const [stage, setStage] = useState<Stage>("development");
  const [haLevel, setHaLevel] = useState<HaLevel>(1);
  const [nameError, setNameError] = useState<string | null>(null);
  const create = useMutation(
    trpc.environment.create.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.environment.list.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.environment.createOptions.queryKey() });
      },
    }),
  );

  const tenants = options.data?.tenants ?? [];
  const tenant = tenants.find((t) => t.id === tenantId) ?? tenants[0];
  const zone = tenant?.zones.find((z) => z.id === zoneId) ?? tenant?.zones[0];
  const minHa = options.data?.minHa[stage] ?? 1;
  const ha = haLevel < minHa ? minHa : haLevel;
  // A name the server would refuse is not sent: the hint below says what is wrong, with no failing request.
  const nameCheck = name.trim() ? ZCreateEnvironmentInput.shape.name.safeParse(name) : null;
  const typedNameError = nameCheck && !nameCheck.success ? (nameCheck.error.issues[0]?.message ?? "invalid name") : null;
  const request = useSettled(
    { tenantId: tenant?.id ?? "", zoneId: zone?.id ?? "", name: name.trim() || undefined, stage, haLevel: ha },
    250,
  );
  const requestValid = !request.name || ZCreateEnvironmentInput.shape.name.safeParse(request.name).success;
  const preview = useQuery(
    trpc.environment.preview.queryOptions(request, {
      enabled: !!request.tenantId && !!request.zoneId && requestValid && !typedNameError && !create.isSuccess,
      placeholderData: (previous) => previous,
    }),
  );

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!tenant || !zone) return;
    const input = { tenantId: tenant.id, zoneId: zone.id, name: name.trim(), stage, haLevel: ha };
    const parsed = ZCreateEnvironmentInput.safeParse(input);
    if (!parsed.success) {
      setNameError(parsed.error.issues[0]?.message ?? "invalid name");
      document.getElementById("env-name")?.focus();
      return;
    }
    setNameError(null);
    try {
      await create.mutateAsync(parsed.data);
    } catch (error) {
      const field = (error as { data?: { field?: string } }).data?.field;
      if (field === "name") setNameError((error as Error).message.replace(/^name: /, ""));
    }
  }

  if (options.error) return <QueryErrorAlert error={options.error} onRetry={() => void options.refetch()} />;
  if (options.isPending) return <p className="text-sm text-muted-foreground">Loading…</p>;
  if (!tenant)
    return <p className="text-sm text-muted-foreground">You are not a member of any tenant where you can create environments.</p>;

  if (create.data) {
    return (
      <div className="flex max-w-2xl flex-col gap-4">
        <CreatedProgress id={create.data.id} name={create.data.name} />
        <SecretOnce
          title={`The credential of ${create.data.name}`}
          secret={create.data.credential}
          hint="It is shown only now: copy it, or regenerate one later on the environment's page."
        />
        <div className="flex gap-2">
          <Button asChild>
            <Link prefetch={false} href={`/environments/${create.data.id}`}>
              Open {create.data.name}
            </Link>
          </Button>
          <Button variant="outline" asChild>
            <Link prefetch={false} href="/environments">
              All environments
            </Link>
          </Button>
        </div>
      </div>
    );
  }

  const blocked = !!preview.data && (preview.data.violations.length > 0 || !!preview.data.quota.exceeded || preview.data.nameTaken);
  const formError = create.error && (create.error as { data?: { field?: string } }).data?.field !== "name" ? create.error : null;
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
      <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4" aria-label="New environment">
        {formError ? <QueryErrorAlert error={formError} /> : null}
        <div className="flex flex-col gap-2">
          <Label htmlFor="env-name">Name</Label>
          <Input
            id="env-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={!!nameError || !!typedNameError || preview.data?.nameTaken}
            aria-describedby="env-name-hint"
            autoComplete="off"
            placeholder="staging"
          />
          <p id="env-name-hint" className={`text-xs ${nameError || typedNameError ? "text-destructive" : "text-muted-foreground"}`}>
            {nameError ?? typedNameError ?? "Lowercase letters, digits and dashes; unique in the tenant."}
          </p>
        </div>
        {tenants.length > 1 ? (
          <div className="flex flex-col gap-2">
            <Label htmlFor="env-tenant">Tenant</Label>
            <NativeSelect id="env-tenant" value={tenant.id} onChange={(e) => (setTenantId(e.target.value), setZoneId(""))}>
              {tenants.map((t) => (
                <option key={t.id} value={t.id}>
                  {tenantLabel(t)}
                </option>
              ))}
            </NativeSelect>
          </div>
        ) : null}
        <div className="flex flex-col gap-2">
          <Label htmlFor="env-stage">Stage</Label>
          <NativeSelect id="env-stage" value={stage} onChange={(e) => setStage(e.target.value as Stage)}>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="flex flex-col gap-2">
          <Label htmlFor="env-ha">HA level</Label>
          <NativeSelect
            id="env-ha"
            value={ha}
            onChange={(e) => setHaLevel(Number(e.target.value) as HaLevel)}
            aria-describedby="env-ha-hint"
          >
            {HA_LEVELS.map((n) => (
              <option key={n} value={n} disabled={n < minHa}>
                {n} {n === 1 ? "replica" : "replicas"}
              </option>
            ))}
          </NativeSelect>
          <p id="env-ha-hint" className="text-xs text-muted-foreground">
            {minHa > 1 ? `Policy requires at least ${minHa} replicas for ${stage}.` : "More replicas survive more host failures."}
          </p>
        </div>
        <div className="flex flex-col gap-2">
          <Label htmlFor="env-zone">Zone</Label>
          <NativeSelect id="env-zone" value={zone?.id ?? ""} onChange={(e) => setZoneId(e.target.value)} disabled={!tenant.zones.length}>
            {tenant.zones.length ? null : <option value="">No zone granted</option>}
            {tenant.zones.map((z) => (
              <option key={z.id} value={z.id}>
                {z.name}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="flex gap-2">
          <Button type="submit" disabled={create.isPending || blocked || !zone}>
            {create.isPending ? <Loader2Icon aria-hidden="true" className="animate-spin" /> : null}
            Create environment
          </Button>
          <Button type="button" variant="outline" asChild>
            <Link prefetch={false} href="/environments">
              Cancel
            </Link>
          </Button>
        </div>
      </form>
      <Card>
        <CardHeader>
          <CardTitle>Before you confirm</CardTitle>
        </CardHeader>
        <CardContent>
          {preview.error ? (
            <QueryErrorAlert error={preview.error} />
          ) : (
            <CreatePreview preview={preview.data} loading={preview.isFetching} />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
