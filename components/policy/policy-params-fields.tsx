"use client";

import { Field, Select } from "@/components/admin/field";
import type { FieldErrors } from "@/components/admin/use-zod-form";
import { STAGES } from "@/server/core/model";
import { tenantLabel } from "@/components/tenant/tenant-label";

type Option = { id: string; name: string; slug?: string };
type Params = Record<string, unknown>;

/** The per-kind part of the rule form. */
export function PolicyParamsFields({
  kind,
  params,
  onChange,
  errors,
  tenants,
  zones,
}: {
  kind: string;
  params: Params;
  onChange: (params: Params) => void;
  errors: FieldErrors;
  tenants: Option[];
  zones: Option[];
}) {
  const tenantIds = (params.tenantIds as string[] | undefined) ?? [];
  const err = (key: string) => errors[`params.${key}`] ?? Object.entries(errors).find(([k]) => k.startsWith(`params.${key}.`))?.[1];
  if (kind === "min_ha") {
    return (
      <div className="grid grid-cols-2 gap-3">
        <Field label="Stage" error={err("stage")}>
          {(p) => (
            <Select {...p} value={String(params.stage ?? "")} onChange={(e) => onChange({ ...params, stage: e.target.value })}>
              <option value="">Choose…</option>
              {STAGES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Minimum replicas" error={err("minReplicas")}>
          {(p) => (
            <Select
              {...p}
              value={String(params.minReplicas ?? "")}
              onChange={(e) => onChange({ ...params, minReplicas: Number(e.target.value) })}
            >
              <option value="">Choose…</option>
              {[1, 3, 5].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
    );
  }
  if (kind === "never_share") {
    const pick = (i: 0 | 1, id: string) => {
      const next = [tenantIds[0] ?? "", tenantIds[1] ?? ""];
      next[i] = id;
      onChange({ ...params, tenantIds: next });
    };
    return (
      <div className="grid grid-cols-2 gap-3">
        {([0, 1] as const).map((i) => (
          <Field key={i} label={i === 0 ? "Tenant" : "Never shares a host with"} error={i === 0 ? err("tenantIds") : undefined}>
            {(p) => (
              <Select {...p} value={tenantIds[i] ?? ""} onChange={(e) => pick(i, e.target.value)}>
                <option value="">Choose a tenant…</option>
                {tenants.map((t) => (
                  <option key={t.id} value={t.id}>
                    {tenantLabel(t)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        ))}
      </div>
    );
  }
  if (kind === "zone_reserved") {
    return (
      <div className="flex flex-col gap-3">
        <Field label="Reserved zone" error={err("zoneId")}>
          {(p) => (
            <Select {...p} value={String(params.zoneId ?? "")} onChange={(e) => onChange({ ...params, zoneId: e.target.value })}>
              <option value="">Choose a zone…</option>
              {zones.map((z) => (
                <option key={z.id} value={z.id}>
                  {z.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <fieldset className="flex flex-col gap-1">
          <legend className="mb-1 text-sm font-medium">Tenants allowed in it</legend>
          {tenants.map((t) => (
            <label key={t.id} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={tenantIds.includes(t.id)}
                onChange={(e) =>
                  onChange({ ...params, tenantIds: e.target.checked ? [...tenantIds, t.id] : tenantIds.filter((x) => x !== t.id) })
                }
              />
              {tenantLabel(t)}
            </label>
          ))}
          {err("tenantIds") ? (
            <p role="alert" className="text-xs text-destructive">
              {err("tenantIds")}
            </p>
          ) : null}
        </fieldset>
      </div>
    );
  }
  return <p className="text-sm text-muted-foreground">This rule has no settings: it applies to every environment and host.</p>;
}

/** A short human summary of a rule's params, with names instead of ids. */
export function describeParams(kind: string, params: Params, names: Map<string, string>): string {
  const name = (id: unknown) => names.get(String(id)) ?? String(id);
  if (kind === "min_ha") return `${String(params.stage)} ≥ ${String(params.minReplicas)} replicas`;
  if (kind === "never_share") return ((params.tenantIds as string[]) ?? []).map(name).join(" ✕ ");
  if (kind === "zone_reserved") return `${name(params.zoneId)} only for ${((params.tenantIds as string[]) ?? []).map(name).join(", ")}`;
  return "";
}
