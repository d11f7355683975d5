"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { HistoryIcon } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { QueryErrorAlert } from "@/components/ui/query-error-alert";
import { Skeleton } from "@/components/ui/skeleton";
import { applySelection, decodeMap } from "@/server/services/placement-map/selection";
import { MAP_HOST_STATES, MAP_REPLICA_STATES, type PlacementMap } from "@/server/services/placement-map/types";
import { HostDrawer } from "./host-drawer";
import { MapCanvas } from "./map-canvas";
import type { Overlays } from "./map-draw";
import type { Hit } from "./map-layout";
import { MapLegend } from "./map-legend";
import { MapToolbar } from "./map-toolbar";
import { SidePanels } from "./side-panels";
import { useMapUrl } from "./use-map-url";
import { plural } from "@/components/ui/plural";

const HTTP_CODES: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  429: "TOO_MANY_REQUESTS",
};

/** The map, or an error shaped like a tRPC client error (message, data.code) for QueryErrorAlert. */
async function fetchPlacementMap(asOf: Date | null): Promise<PlacementMap> {
  const res = await fetch(`/api/placement/map${asOf ? `?asOf=${encodeURIComponent(asOf.toISOString())}` : ""}`);
  if (res.ok) return (await res.json()) as PlacementMap;
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  throw Object.assign(new Error(body.error ?? `The map could not be loaded (HTTP ${res.status})`), {
    data: { code: HTTP_CODES[res.status] ?? null },
  });
}

export function PlacementExplorer({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC();
  const { state, update } = useMapUrl();
  const asOf = state.at ? new Date(state.at) : null;
  const validAsOf = asOf && !Number.isNaN(asOf.getTime()) ? asOf : null;

  // Live: poll the cheap version marker; the 1 MB map is refetched only when it changed.
  const version = useQuery(
    trpc.placement.version.queryOptions(undefined, { refetchInterval: validAsOf ? false : 2500, enabled: !validAsOf }),
  );
  // The map itself comes from GET /api/placement/map: plain JSON, serialized and gzipped once per version.
  const mapQuery = useQuery({
    queryKey: ["placement-map", validAsOf?.toISOString() ?? null],
    queryFn: () => fetchPlacementMap(validAsOf),
    staleTime: Infinity,
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
  });
  const { refetch } = mapQuery;
  const loadedVersion = mapQuery.data?.version;
  useEffect(() => {
    if (!validAsOf && version.data && loadedVersion && version.data !== loadedVersion) void refetch();
  }, [version.data, loadedVersion, validAsOf, refetch]);

  const d = useMemo(() => (mapQuery.data ? decodeMap(mapQuery.data) : null), [mapQuery.data]);

  const risks = useQuery(
    trpc.placement.risks.queryOptions(undefined, {
      enabled: (state.risk || state.panel === "risk" || state.sel.health === "at-risk") && !validAsOf,
    }),
  );
  const riskServers = useMemo(() => {
    if (!d || !risks.data) return undefined;
    const byName = new Map(d.map.servers.name.map((n, i) => [n, i]));
    return new Set(risks.data.items.map((r) => byName.get(r.server)).filter((x): x is number => x !== undefined));
  }, [d, risks.data]);

  const whatIfInput = useMemo(() => {
    if (!state.whatIf) return null;
    const [kind, ...rest] = state.whatIf.split(":");
    const value = rest.join(":");
    if (!value) return null;
    return kind === "fd" ? ({ kind: "failureDomain", failureDomain: value } as const) : ({ kind: "host", host: value } as const);
  }, [state.whatIf]);
  const whatIf = useQuery(
    trpc.placement.whatIf.queryOptions(whatIfInput ?? { kind: "host", host: "-" }, {
      enabled: !!whatIfInput && !validAsOf,
      staleTime: 30_000,
    }),
  );

  const sel = useMemo(() => (d ? applySelection(d, state.sel, riskServers) : null), [d, state.sel, riskServers]);

  const hostIndex = useMemo(() => (d ? new Map(d.map.hosts.name.map((n, i) => [n, i])) : new Map<string, number>()), [d]);
  const overlays = useMemo<Overlays>(() => {
    if (!d) return {};
    const o: Overlays = {};
    const nHosts = d.map.hosts.id.length;
    if (state.risk && risks.data && riskServers) {
      o.riskHosts = new Uint8Array(nHosts);
      for (const r of risks.data.items) for (const h of r.hosts) if (hostIndex.has(h)) o.riskHosts[hostIndex.get(h)!] = 1;
      o.riskReplicas = new Uint8Array(d.replicaServer.length);
      for (let i = 0; i < d.replicaServer.length; i++) if (riskServers.has(d.replicaServer[i]!)) o.riskReplicas[i] = 1;
    }
    if (whatIfInput && whatIf.data) {
      o.lostHosts = new Uint8Array(nHosts);
      o.targetHosts = new Uint8Array(nHosts);
      if (whatIfInput.kind === "host") o.lostHosts[hostIndex.get(whatIfInput.host) ?? -1] = 1;
      else
        for (let h = 0; h < nHosts; h++) if (d.map.domains.name[d.map.hosts.domain[h]!] === whatIfInput.failureDomain) o.lostHosts[h] = 1;
      for (const m of whatIf.data.moved) if (hostIndex.has(m.to)) o.targetHosts[hostIndex.get(m.to)!] = 1;
    }
    if (state.open && hostIndex.has(state.open)) o.focusHost = hostIndex.get(state.open);
    return o;
  }, [d, state.risk, state.open, risks.data, riskServers, whatIfInput, whatIf.data, hostIndex]);

  const [hover, setHover] = useState<{ hit: Hit; at: { x: number; y: number } } | null>(null);
  const [focus, setFocus] = useState<{ host: number; name: string; seq: number } | null>(null);
  const focusHost = (name: string) => {
    const host = hostIndex.get(name);
    if (host !== undefined) setFocus((f) => ({ host, name, seq: (f?.seq ?? 0) + 1 }));
  };

  if (mapQuery.isPending) {
    return (
      <div role="status" aria-label="Loading the placement map" className="flex flex-col gap-3">
        <Skeleton className="h-10" />
        <Skeleton className="h-[520px]" />
      </div>
    );
  }
  if (mapQuery.isError || !d || !sel) return <QueryErrorAlert error={mapQuery.error} onRetry={() => void refetch()} />;

  const map = d.map;
  const openHost = state.open ? hostIndex.get(state.open) : undefined;
  const label = `Placement map: ${plural(map.hosts.id.length, "host")} in ${plural(map.zones.id.length, "security zone")}, ${plural(map.replicas.host.length, "replica")}${
    sel.active ? `; selection: ${plural(sel.replicaCount, "replica")} on ${plural(sel.hostCount, "host")}` : ""
  }. Use the filters, search and lists for keyboard access.`;

  return (
    <div className="flex flex-col gap-4">
      {validAsOf ? (
        <Alert>
          <HistoryIcon aria-hidden="true" />
          <AlertTitle>Showing the map as of {validAsOf.toISOString().replace("T", " ").slice(0, 19)} UTC</AlertTitle>
          <AlertDescription className="flex flex-wrap items-center gap-2">
            Replica placements are rewound through placement events; host states are today&apos;s.
            <Button size="sm" variant="outline" onClick={() => update({ at: null })}>
              Back to live
            </Button>
          </AlertDescription>
        </Alert>
      ) : null}
      <MapToolbar d={d} state={state} update={update} sel={sel} onFocusHost={focusHost} />
      <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_380px]">
        <div className="flex flex-col gap-2">
          <div className="relative h-[62vh]">
            <MapCanvas
              focus={focus}
              d={d}
              sel={sel}
              color={state.color}
              overlays={overlays}
              label={label}
              onHover={(hit, at) => setHover(hit && at ? { hit, at } : null)}
              onPick={(hit) => {
                const replica =
                  hit.replica >= 0 ? `${map.servers.name[d.replicaServer[hit.replica]!]}#${map.replicas.ordinal[hit.replica]}` : null;
                update({ open: map.hosts.name[hit.host], replica });
              }}
            />
            {hover ? (
              <div
                className="pointer-events-none absolute z-10 max-w-xs rounded-md border bg-popover px-2 py-1 text-xs shadow-md"
                style={{ left: Math.min(hover.at.x + 14, 9999), top: hover.at.y + 14 }}
              >
                <div className="font-medium">{map.hosts.name[hover.hit.host]}</div>
                <div>
                  {MAP_HOST_STATES[map.hosts.state[hover.hit.host]!]} · {d.hostStart[hover.hit.host + 1]! - d.hostStart[hover.hit.host]!}/
                  {map.hosts.slots[hover.hit.host]} slots
                  {map.hosts.env[hover.hit.host]! >= 0 ? ` · machine of ${map.environments.name[map.hosts.env[hover.hit.host]!]}` : ""}
                </div>
                {hover.hit.replica >= 0 ? (
                  <div>
                    {map.servers.name[d.replicaServer[hover.hit.replica]!]} #{map.replicas.ordinal[hover.hit.replica]} ·{" "}
                    {MAP_REPLICA_STATES[map.replicas.state[hover.hit.replica]!]}
                  </div>
                ) : null}
              </div>
            ) : null}
          </div>
          <MapLegend d={d} color={state.color} sel={state.sel} />
        </div>
        <SidePanels d={d} sel={sel} state={state} update={update} risks={risks} whatIf={whatIf} asOf={validAsOf} />
      </div>
      <HostDrawer
        hostId={openHost !== undefined ? map.hosts.id[openHost]! : null}
        hostName={state.open}
        replica={state.replica}
        isAdmin={isAdmin && !validAsOf}
        onReplica={(replica) => update({ replica })}
        onOpenHost={(name) => update({ open: name, replica: null })}
        onClose={() => update({ open: null, replica: null })}
      />
    </div>
  );
}
