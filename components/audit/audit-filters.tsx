"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Select } from "@/components/admin/field";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { tenantLabel } from "@/components/tenant/tenant-label";

export type AuditFilterValues = {
  actor: string;
  tenantId: string;
  action: string;
  targetType: string;
  targetId: string;
  from: string;
  to: string;
};
export const NO_FILTER: AuditFilterValues = { actor: "", tenantId: "", action: "", targetType: "", targetId: "", from: "", to: "" };

/** The filter as the API takes it: empty fields dropped, local date-times as instants. */
export function toApiFilter(f: AuditFilterValues) {
  const out: Record<string, string | Date> = {};
  for (const [k, v] of Object.entries(f)) {
    if (!v) continue;
    out[k] = k === "from" || k === "to" ? new Date(v) : v;
  }
  return out as Partial<{ actor: string; tenantId: string; action: string; targetType: string; targetId: string; from: Date; to: Date }>;
}

export function exportHref(f: AuditFilterValues): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(toApiFilter(f))) params.set(k, v instanceof Date ? v.toISOString() : v);
  const qs = params.toString();
  return `/api/audit/export${qs ? `?${qs}` : ""}`;
}

const TEXT_FIELDS = [
  ["actor", "Actor", "email or agent name, prefix"],
  ["action", "Action", "e.g. tenant. or policy.create"],
  ["targetType", "Target type", "e.g. environment"],
  ["targetId", "Target id", ""],
] as const;

export function AuditFilters({ value, onApply }: { value: AuditFilterValues; onApply: (f: AuditFilterValues) => void }) {
  const trpc = useTRPC();
  const tenants = useQuery(trpc.tenant.list.queryOptions({ limit: 100 }));
  const [draft, setDraft] = useState(value);
  const set = (k: keyof AuditFilterValues, v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const badRange = draft.from && draft.to && new Date(draft.from) > new Date(draft.to);
  return (
    <form
      aria-label="Audit filters"
      className="grid gap-3 rounded-lg border p-3 sm:grid-cols-2 lg:grid-cols-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (!badRange) onApply(draft);
      }}
    >
      {TEXT_FIELDS.map(([key, label, placeholder]) => (
        <div key={key} className="flex flex-col gap-1">
          <Label htmlFor={`audit-${key}`}>{label}</Label>
          <Input id={`audit-${key}`} placeholder={placeholder} value={draft[key]} onChange={(e) => set(key, e.target.value)} />
        </div>
      ))}
      <div className="flex flex-col gap-1">
        <Label htmlFor="audit-tenant">Tenant</Label>
        <Select id="audit-tenant" value={draft.tenantId} onChange={(e) => set("tenantId", e.target.value)}>
          <option value="">All tenants</option>
          {tenants.data?.items.map((t) => (
            <option key={t.id} value={t.id}>
              {tenantLabel(t)}
            </option>
          ))}
        </Select>
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="audit-from">From</Label>
        <Input id="audit-from" type="datetime-local" value={draft.from} onChange={(e) => set("from", e.target.value)} />
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="audit-to">To</Label>
        <Input
          id="audit-to"
          type="datetime-local"
          aria-invalid={Boolean(badRange)}
          value={draft.to}
          onChange={(e) => set("to", e.target.value)}
        />
        {badRange ? (
          <p role="alert" className="text-xs text-destructive">
            “To” is before “From”.
          </p>
        ) : null}
      </div>
      <div className="flex items-end gap-2">
        <Button type="submit" size="sm">
          Apply filters
        </Button>
        <Button type="button" size="sm" variant="outline" onClick={() => (setDraft(NO_FILTER), onApply(NO_FILTER))}>
          Clear
        </Button>
      </div>
    </form>
  );
}
