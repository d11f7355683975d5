"use client";

import { DownloadIcon, SearchIcon, XIcon } from "lucide-react";
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { SELECTION_KEYS, type DecodedMap, type MapSelection, type SelectionResult } from "@/server/services/placement-map/selection";
import { COLOR_MODES, HEALTH_FILTERS, MAP_STAGES } from "@/server/services/placement-map/types";
import type { MapUrlState } from "./use-map-url";
import { plural } from "@/components/ui/plural";

type Update = (changes: Record<string, string | null | undefined>) => void;

interface SearchResult {
  key: keyof MapSelection;
  value: string;
  kind: string;
  label: string;
}

const KIND_LABEL: Record<string, string> = {
  tenant: "Tenant",
  env: "Environment",
  server: "State server",
  host: "Host",
  zone: "Zone",
  stage: "Stage",
  health: "Health",
};
const SELECT_CLASS =
  "h-9 rounded-md border border-input bg-background px-2 text-sm shadow-xs outline-none focus-visible:ring-2 focus-visible:ring-ring/40";

/** Finds tenants, environments, state servers and hosts by name (first few of each). */
export function searchMap(d: DecodedMap, query: string, perKind = 6): SearchResult[] {
  const q = query.trim().toLowerCase();
  if (q.length < 2) return [];
  const { map } = d;
  const out: SearchResult[] = [];
  const scan = (names: readonly string[], make: (i: number) => SearchResult, also?: (i: number) => string) => {
    let n = 0;
    for (let i = 0; i < names.length && n < perKind; i++) {
      if (names[i]!.toLowerCase().includes(q) || (also && also(i).toLowerCase().includes(q))) {
        out.push(make(i));
        n++;
      }
    }
  };
  scan(
    map.tenants.slug,
    (i) => ({ key: "tenant", value: map.tenants.slug[i]!, kind: "tenant", label: `${map.tenants.name[i]} (${map.tenants.slug[i]})` }),
    (i) => map.tenants.name[i]!,
  );
  scan(
    map.environments.name,
    (i) => {
      const slug = map.tenants.slug[map.environments.tenant[i]!]!;
      return { key: "env", value: `${slug}/${map.environments.name[i]}`, kind: "env", label: `${slug}/${map.environments.name[i]}` };
    },
    (i) => `${map.tenants.slug[map.environments.tenant[i]!]}/${map.environments.name[i]}`,
  );
  scan(map.servers.name, (i) => ({ key: "server", value: map.servers.name[i]!, kind: "server", label: map.servers.name[i]! }));
  scan(map.hosts.name, (i) => ({ key: "host", value: map.hosts.name[i]!, kind: "host", label: map.hosts.name[i]! }));
  return out;
}

export function MapToolbar({
  d,
  state,
  update,
  sel,
  onFocusHost,
}: {
  d: DecodedMap;
  state: MapUrlState;
  update: Update;
  sel: SelectionResult;
  /** A host picked in search: the map zooms to it. */
  onFocusHost?: (name: string) => void;
}) {
  const [query, setQuery] = useState("");
  const results = useMemo(() => searchMap(d, query), [d, query]);
  const pick = (r: SearchResult) => {
    update({ [r.key]: r.value, ...(r.key === "host" ? { open: r.value } : {}) });
    if (r.key === "host") onFocusHost?.(r.value);
    setQuery("");
  };
  const exportQuery = useMemo(() => {
    const p = new URLSearchParams();
    for (const k of SELECTION_KEYS) if (state.sel[k]) p.set(k, state.sel[k]!);
    if (state.at) p.set("at", state.at);
    return p.toString();
  }, [state.sel, state.at]);
  const active = SELECTION_KEYS.filter((k) => state.sel[k]);

  return (
    <section aria-label="Search and filters" className="flex flex-col gap-3 rounded-lg border bg-card p-3">
      <div className="flex flex-wrap items-end gap-3">
        <div className="relative flex min-w-64 flex-1 flex-col gap-1.5">
          <Label htmlFor="map-search">Search tenants, environments, state servers, hosts</Label>
          <div className="relative">
            <SearchIcon className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-muted-foreground" aria-hidden="true" />
            <Input
              id="map-search"
              type="search"
              className="pl-8"
              placeholder="e.g. acme, prod-00012, ss-prod-00020"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={(e) => {
                // Enter takes the exact match, else the first result.
                if (e.key !== "Enter" || !results.length) return;
                e.preventDefault();
                pick(results.find((r) => r.value === query.trim()) ?? results[0]!);
              }}
              autoComplete="off"
            />
          </div>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="map-zone">Zone</Label>
          <select id="map-zone" className={SELECT_CLASS} value={state.sel.zone ?? ""} onChange={(e) => update({ zone: e.target.value })}>
            <option value="">All zones</option>
            {d.map.zones.name.map((z) => (
              <option key={z}>{z}</option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="map-stage">Stage</Label>
          <select id="map-stage" className={SELECT_CLASS} value={state.sel.stage ?? ""} onChange={(e) => update({ stage: e.target.value })}>
            <option value="">All stages</option>
            {MAP_STAGES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="map-health">Health</Label>
          <select
            id="map-health"
            className={SELECT_CLASS}
            value={state.sel.health ?? ""}
            onChange={(e) => update({ health: e.target.value })}
          >
            <option value="">Any health</option>
            {HEALTH_FILTERS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="map-color">Colour by</Label>
          <select
            id="map-color"
            className={SELECT_CLASS}
            value={state.color}
            onChange={(e) => update({ color: e.target.value === "tenant" ? null : e.target.value })}
          >
            {COLOR_MODES.map((c) => (
              <option key={c} value={c}>
                {c === "server" ? "state server" : c === "state" ? "replica state" : c}
              </option>
            ))}
          </select>
        </div>
        <label className="flex h-9 items-center gap-2 text-sm">
          <input
            type="checkbox"
            className="size-4"
            checked={state.risk}
            onChange={(e) => update({ risk: e.target.checked ? "1" : null })}
          />
          Quorum risk overlay
        </label>
        <div className="flex gap-2">
          <Button asChild variant="outline" size="sm">
            <a href={`/api/placement/export?format=json${exportQuery ? `&${exportQuery}` : ""}`} download>
              <DownloadIcon /> JSON
            </a>
          </Button>
          <Button asChild variant="outline" size="sm">
            <a href={`/api/placement/export?format=csv${exportQuery ? `&${exportQuery}` : ""}`} download>
              <DownloadIcon /> CSV
            </a>
          </Button>
        </div>
      </div>
      {results.length ? (
        <ul aria-label="Search results" className="flex max-h-48 flex-wrap gap-2 overflow-auto">
          {results.map((r) => (
            <li key={`${r.key}:${r.value}`}>
              <Button size="sm" variant="secondary" onClick={() => pick(r)}>
                <span className="text-muted-foreground">{KIND_LABEL[r.kind]}</span> {r.label}
              </Button>
            </li>
          ))}
        </ul>
      ) : query.trim().length >= 2 ? (
        <p className="text-sm text-muted-foreground">Nothing matches “{query.trim()}”.</p>
      ) : null}
      {active.length ? (
        <div className="flex flex-wrap items-center gap-2" aria-label="Active filters" role="group">
          {active.map((k) => (
            <Button
              key={k}
              size="sm"
              variant="outline"
              aria-label={`Remove filter ${KIND_LABEL[k]}: ${state.sel[k]}`}
              onClick={() => update({ [k]: null })}
            >
              {KIND_LABEL[k]}: {state.sel[k]} <XIcon />
            </Button>
          ))}
          <span className="text-sm text-muted-foreground" role="status">
            {plural(sel.replicaCount, "replica")} on {plural(sel.hostCount, "host")}
          </span>
          <Button size="sm" variant="ghost" onClick={() => update(Object.fromEntries(SELECTION_KEYS.map((k) => [k, null])))}>
            Clear all
          </Button>
        </div>
      ) : null}
    </section>
  );
}
