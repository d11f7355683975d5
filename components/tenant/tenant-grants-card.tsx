"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Select } from "@/components/admin/field";
import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { describeError } from "@/components/ui/query-error-alert";
import { humanize } from "@/components/ui/status-badge";
import { useTenantInvalidate } from "./tenant-detail";

type Grant = { zoneId: string; name: string; purpose: string; isolation: string };

export function TenantGrantsCard({ tenantId, grants, canEdit }: { tenantId: string; grants: Grant[]; canEdit: boolean }) {
  const trpc = useTRPC();
  const invalidate = useTenantInvalidate(tenantId);
  const zones = useQuery({ ...trpc.zone.list.queryOptions({ limit: 100 }), enabled: canEdit });
  const [zoneId, setZoneId] = useState("");
  const onError = (e: unknown) => toast.error(describeError(e).message);
  const grant = useMutation(
    trpc.zone.grant.mutationOptions({ onSuccess: async () => (await invalidate(), setZoneId(""), toast.success("Zone granted")), onError }),
  );
  const revoke = useMutation(
    trpc.zone.revoke.mutationOptions({
      onSuccess: async (r) => {
        await invalidate();
        if (r.environmentsStillInZone)
          toast.warning(`Revoked; ${r.environmentsStillInZone} environment(s) still use the zone (see Compliance)`);
        else toast.success("Grant revoked");
      },
      onError,
    }),
  );
  const granted = new Set(grants.map((g) => g.zoneId));
  const available = zones.data?.items.filter((z) => !granted.has(z.id)) ?? [];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Security zones</CardTitle>
        <CardDescription>The tenant&apos;s environments can only use granted zones.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        {grants.length === 0 ? (
          <p className="text-sm text-muted-foreground">No zones granted: the tenant cannot create environments.</p>
        ) : null}
        <ul className="flex flex-col gap-2" aria-label="Granted zones">
          {grants.map((g) => (
            <li key={g.zoneId} className="flex items-center gap-2 text-sm">
              <span className="font-medium">{g.name}</span>
              <Badge variant="outline">{humanize(g.purpose)}</Badge>
              <Badge variant="secondary">{g.isolation}</Badge>
              {canEdit ? (
                <span className="ml-auto">
                  <ConfirmButton
                    label="Revoke"
                    variant="outline"
                    title={`Revoke ${g.name}?`}
                    description="New environments can no longer use this zone; existing ones are listed on the Compliance page."
                    confirmLabel="Revoke grant"
                    onConfirm={() => revoke.mutate({ tenantId, zoneId: g.zoneId })}
                  />
                </span>
              ) : null}
            </li>
          ))}
        </ul>
        {canEdit ? (
          <form
            className="flex items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (zoneId) grant.mutate({ tenantId, zoneId });
            }}
          >
            <label className="flex flex-1 flex-col gap-1 text-sm">
              Grant a zone
              <Select value={zoneId} onChange={(e) => setZoneId(e.target.value)} aria-label="Zone to grant">
                <option value="">{available.length ? "Choose a zone…" : "No other zones"}</option>
                {available.map((z) => (
                  <option key={z.id} value={z.id}>
                    {z.name}
                  </option>
                ))}
              </Select>
            </label>
            <Button type="submit" size="sm" disabled={!zoneId || grant.isPending}>
              Grant
            </Button>
          </form>
        ) : null}
      </CardContent>
    </Card>
  );
}
