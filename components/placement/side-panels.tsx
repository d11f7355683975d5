"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { formatDateTime } from "@/components/ui/format-date";
import { Label } from "@/components/ui/label";
import { QueryErrorAlert } from "@/components/ui/query-error-alert";
import { cn } from "@/components/ui/cn";
import type { AppRouter } from "@/server/api/root";
import type { inferRouterOutputs } from "@trpc/server";
import type { DecodedMap, SelectionResult } from "@/server/services/placement-map/selection";
import { MAP_HOST_STATES, MAP_REPLICA_STATES } from "@/server/services/placement-map/types";
import { ReplicaExplanation } from "./replica-explanation";
import { PANELS, type MapUrlState, type Panel } from "./use-map-url";

type Out = inferRouterOutputs<AppRouter>["placement"];
type Update = (changes: Record<string, string | null | undefined>) => void;
interface PanelProps {
  d: DecodedMap;
  sel: SelectionResult;
  state: MapUrlState;
  update: Update;
  risks: UseQueryResult<Out["risks"], unknown>;
  whatIf: UseQueryResult<Out["whatIf"], unknown>;
  asOf: Date | null;
}

const TITLES: Record<Panel, string> = { selection: "Selection", risk: "Quorum risk", "what-if": "What if", history: "History" };
const SELECT_CLASS = "h-9 rounded-md border border-input bg-background px-2 text-sm";

export function SidePanels(props: PanelProps) {
  const { state, update } = props;
  return (
    <aside className="flex min-w-0 flex-col gap-3 rounded-lg border bg-card p-3" aria-label="Placement tools">
      <div role="tablist" aria-label="Placement tools" className="grid grid-cols-4 gap-1 rounded-md bg-muted p-1">
        {PANELS.map((p) => (
          <button
            key={p}
            role="tab"
            type="button"
            id={`tab-${p}`}
            aria-selected={state.panel === p}
            aria-controls={`panel-${p}`}
            className={cn(
              "rounded px-2 py-1 text-xs font-medium outline-none focus-visible:ring-2 focus-visible:ring-ring",
              state.panel === p ? "bg-background shadow-sm" : "text-muted-foreground",
            )}
            onClick={() => update({ panel: p === "selection" ? null : p })}
          >
            {TITLES[p]}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`panel-${state.panel}`}
        aria-labelledby={`tab-${state.panel}`}
        className="flex max-h-[62vh] min-h-0 flex-col gap-3 overflow-y-auto text-sm"
      >
        {state.panel === "selection" ? <SelectionPanel {...props} /> : null}
        {state.panel === "risk" ? <RiskPanel {...props} /> : null}
        {state.panel === "what-if" ? <WhatIfPanel {...props} /> : null}
        {state.panel === "history" ? <HistoryPanel {...props} /> : null}
      </div>
    </aside>
  );
}

function SelectionPanel({ d, sel, state, update }: PanelProps) {
  const { map } = d;
  const hosts: number[] = [];
  for (let h = 0; h < map.hosts.id.length && hosts.length < 50; h++) if (sel.hosts[h]) hosts.push(h);
  const pending: number[] = [];
  for (let i = 0; i < map.replicas.host.length && pending.length < 30; i++)
    if (map.replicas.host[i]! < 0 && sel.replicas[i]) pending.push(i);
  const hostStates = MAP_HOST_STATES.map((s, k) => ({ s, n: map.hosts.state.filter((x) => x === k).length }));
  const replicaStates = MAP_REPLICA_STATES.map((s, k) => ({ s, n: map.replicas.state.filter((x) => x === k).length }));
  const [rServer, rOrdinal] = state.replica && !state.open ? state.replica.split("#") : [];
  return (
    <>
      <dl className="grid grid-cols-2 gap-2 text-xs" data-testid="fleet-summary">
        <div>
          <dt className="text-muted-foreground">Hosts</dt>
          <dd>
            {hostStates
              .filter((x) => x.n)
              .map((x) => `${x.n} ${x.s}`)
              .join(", ")}
          </dd>
        </div>
        <div>
          <dt className="text-muted-foreground">Replicas</dt>
          <dd>
            {replicaStates
              .filter((x) => x.n)
              .map((x) => `${x.n} ${x.s}`)
              .join(", ")}
          </dd>
        </div>
      </dl>
      <section aria-label="Hosts in the selection">
        <h3 className="mb-1 font-semibold">
          {sel.active ? `Hosts in the selection (${sel.hostCount})` : `Hosts (${map.hosts.id.length})`}
        </h3>
        <ul className="flex flex-wrap gap-1">
          {hosts.map((h) => (
            <li key={h}>
              <Button
                size="sm"
                variant="outline"
                className="h-7 px-2 text-xs"
                onClick={() => update({ open: map.hosts.name[h], replica: null })}
              >
                {map.hosts.name[h]}
              </Button>
            </li>
          ))}
        </ul>
        {sel.hostCount > hosts.length ? (
          <p className="mt-1 text-xs text-muted-foreground">…and {sel.hostCount - hosts.length} more: narrow the selection or search.</p>
        ) : null}
      </section>
      <section aria-label="Replicas without a host">
        <h3 className="mb-1 font-semibold">Not placed ({pending.length === 30 ? "30+" : pending.length})</h3>
        {pending.length === 0 ? <p className="text-xs text-muted-foreground">Every replica in the selection has a host.</p> : null}
        <ul className="flex flex-col gap-1">
          {pending.map((i) => {
            const key = `${map.servers.name[d.replicaServer[i]!]}#${map.replicas.ordinal[i]}`;
            return (
              <li key={key} className="flex items-center justify-between gap-2 text-xs">
                <span>{key.replace("#", " #")}</span>
                <Button
                  size="sm"
                  variant="link"
                  className="h-auto px-0 text-xs"
                  onClick={() => update({ replica: state.replica === key ? null : key, open: null })}
                >
                  Why pending? <span className="sr-only">{key}</span>
                </Button>
              </li>
            );
          })}
        </ul>
      </section>
      {rServer ? <ReplicaExplanation server={rServer} ordinal={Number(rOrdinal)} /> : null}
    </>
  );
}

function RiskPanel({ risks, update, asOf }: PanelProps) {
  if (asOf) return <p className="text-muted-foreground">Risk is assessed on the live map only.</p>;
  if (risks.isPending) return <p role="status">Assessing quorum risk…</p>;
  if (risks.isError) return <QueryErrorAlert error={risks.error} onRetry={() => void risks.refetch()} />;
  const r = risks.data;
  return (
    <section aria-label="State servers at risk">
      <p className="mb-2">
        {r.total === 0
          ? "No state server would lose quorum from one host or one failure domain."
          : `${r.total} state servers would lose quorum if one host or one failure domain were lost.`}{" "}
        <Button size="sm" variant="link" className="h-auto px-0" onClick={() => update({ risk: "1" })}>
          Mark them on the map
        </Button>
      </p>
      <ul className="flex flex-col divide-y">
        {r.items.slice(0, 200).map((x) => (
          <li key={x.server} className="flex flex-col gap-0.5 py-1.5 text-xs">
            <Button
              size="sm"
              variant="link"
              className="h-auto justify-start px-0 text-xs font-medium"
              onClick={() => update({ server: x.server })}
            >
              {x.server} {x.belowQuorum ? "(below quorum now)" : ""}
            </Button>
            <span>{x.reason}</span>
            {x.hosts.length ? <span className="text-muted-foreground">Hosts: {x.hosts.join(", ")}</span> : null}
            {x.failureDomains.length ? <span className="text-muted-foreground">Failure domains: {x.failureDomains.join(", ")}</span> : null}
          </li>
        ))}
      </ul>
      {r.items.length > 200 ? (
        <p className="text-xs text-muted-foreground">First 200 shown; filter by health “at-risk” to see them all on the map.</p>
      ) : null}
    </section>
  );
}

function WhatIfPanel({ d, state, update, whatIf, asOf }: PanelProps) {
  const [kind, setKind] = useState<"host" | "fd">(state.whatIf?.startsWith("fd:") ? "fd" : "host");
  const [value, setValue] = useState(state.whatIf?.split(":").slice(1).join(":") ?? state.open ?? "");
  const domains = [...new Set(d.map.domains.name)].sort();
  if (asOf) return <p className="text-muted-foreground">What-if runs on the live map only.</p>;
  return (
    <section aria-label="What if" className="flex flex-col gap-3">
      <form
        className="flex flex-col gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (value) update({ whatif: `${kind}:${value}` });
        }}
      >
        <div className="flex gap-2">
          <div className="flex flex-col gap-1">
            <Label htmlFor="whatif-kind">Lose</Label>
            <select
              id="whatif-kind"
              className={SELECT_CLASS}
              value={kind}
              onChange={(e) => (setKind(e.target.value as "host" | "fd"), setValue(""))}
            >
              <option value="host">a host</option>
              <option value="fd">a failure domain</option>
            </select>
          </div>
          <div className="flex min-w-0 flex-1 flex-col gap-1">
            <Label htmlFor="whatif-target">{kind === "host" ? "Host name" : "Failure domain"}</Label>
            {kind === "host" ? (
              <>
                <input
                  id="whatif-target"
                  list="whatif-hosts"
                  className={SELECT_CLASS}
                  value={value}
                  onChange={(e) => setValue(e.target.value)}
                />
                <datalist id="whatif-hosts">
                  {d.map.hosts.name.slice(0, 2500).map((h) => (
                    <option key={h} value={h} />
                  ))}
                </datalist>
              </>
            ) : (
              <select id="whatif-target" className={SELECT_CLASS} value={value} onChange={(e) => setValue(e.target.value)}>
                <option value="">Choose…</option>
                {domains.map((x) => (
                  <option key={x}>{x}</option>
                ))}
              </select>
            )}
          </div>
        </div>
        <div className="flex gap-2">
          <Button type="submit" size="sm" disabled={!value}>
            Show what would happen
          </Button>
          {state.whatIf ? (
            <Button size="sm" variant="ghost" onClick={() => update({ whatif: null })}>
              Clear
            </Button>
          ) : null}
        </div>
      </form>
      {state.whatIf && whatIf.isFetching ? <p role="status">Running the placement engine on a copy of the fleet…</p> : null}
      {state.whatIf && whatIf.isError ? <QueryErrorAlert error={whatIf.error} /> : null}
      {state.whatIf && whatIf.data ? (
        <div className="flex flex-col gap-2" role="region" aria-label="What-if result">
          <p>
            Losing{" "}
            {whatIf.data.scenario.kind === "host"
              ? `host ${whatIf.data.scenario.host}`
              : `failure domain ${whatIf.data.scenario.failureDomain}`}
            : {whatIf.data.moved.length} replicas would move, {whatIf.data.failures.length} could not be placed. Servers at quorum risk:{" "}
            {whatIf.data.quorum.before} → {whatIf.data.quorum.after}.
          </p>
          <p className="text-xs text-muted-foreground">On the map: lost hosts are crossed out, receiving hosts have a green border.</p>
          <h4 className="font-medium">Moves</h4>
          <ul className="max-h-56 overflow-auto text-xs">
            {whatIf.data.moved.slice(0, 300).map((m) => (
              <li key={`${m.server}#${m.ordinal}`}>
                {m.server} #{m.ordinal}: {m.from} → {m.to}
              </li>
            ))}
          </ul>
          {whatIf.data.failures.length ? (
            <>
              <h4 className="font-medium">Could not be placed</h4>
              <ul className="max-h-56 overflow-auto text-xs">
                {whatIf.data.failures.slice(0, 300).map((f) => (
                  <li key={`${f.server}#${f.ordinal}`}>
                    {f.server} #{f.ordinal}:{" "}
                    {f.reasons
                      .slice(0, 3)
                      .map((r) => `${r.hosts} ${r.label}`)
                      .join(", ")}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

const KINDS = ["placed", "moved", "failed_over", "drained", "unplaced", "stopped"] as const;

function HistoryPanel({ state, update }: PanelProps) {
  const trpc = useTRPC();
  const [kind, setKind] = useState<(typeof KINDS)[number] | "">("");
  const [cause, setCause] = useState<"" | "user" | "agent" | "controller" | "system">("");
  const [limit, setLimit] = useState(50);
  const q = useQuery(
    trpc.placement.history.queryOptions({
      limit,
      ...(kind ? { kinds: [kind] } : {}),
      ...(cause ? { causes: [cause] } : {}),
      ...(state.sel.server ? { server: state.sel.server } : {}),
      ...(state.sel.host ? { host: state.sel.host } : {}),
    }),
  );
  return (
    <section aria-label="Placement history" className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2">
        <div className="flex flex-col gap-1">
          <Label htmlFor="history-kind">Event</Label>
          <select id="history-kind" className={SELECT_CLASS} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            <option value="">All events</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k.replace("_", " ")}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="history-cause">Caused by</Label>
          <select id="history-cause" className={SELECT_CLASS} value={cause} onChange={(e) => setCause(e.target.value as typeof cause)}>
            <option value="">Anyone</option>
            <option value="user">a person</option>
            <option value="controller">the controller</option>
            <option value="agent">a host agent</option>
            <option value="system">the system</option>
          </select>
        </div>
      </div>
      {state.sel.server || state.sel.host ? (
        <p className="text-xs text-muted-foreground">
          Limited to the selected {state.sel.server ? `state server ${state.sel.server}` : `host ${state.sel.host}`}.
        </p>
      ) : null}
      {q.isPending ? <p role="status">Loading events…</p> : null}
      {q.isError ? <QueryErrorAlert error={q.error} onRetry={() => void q.refetch()} /> : null}
      {q.data ? (
        <ol className="flex flex-col divide-y" aria-label="Placement events, newest first">
          {q.data.items.length === 0 ? <li className="text-muted-foreground">No events match.</li> : null}
          {q.data.items.map((e) => (
            <li
              key={e.id}
              className={cn(
                "flex flex-col gap-0.5 py-1.5 text-xs",
                state.at && new Date(state.at).getTime() === e.at.getTime() && "bg-accent",
              )}
            >
              <span className="tabular-nums text-muted-foreground">{formatDateTime(e.at)}</span>
              <span>
                <strong>{e.kind.replace("_", " ")}</strong> {e.server} #{e.ordinal}
                {e.from ? ` from ${e.from}` : ""}
                {e.to ? ` to ${e.to}` : ""}
              </span>
              <span className="text-muted-foreground">
                {e.reason} — by {e.actor}
              </span>
              <Button
                size="sm"
                variant="link"
                className="h-auto justify-start px-0 text-xs"
                onClick={() => update({ at: e.at.toISOString() })}
              >
                Show the map at this moment
              </Button>
            </li>
          ))}
        </ol>
      ) : null}
      {q.data?.nextCursor && limit < 200 ? (
        <Button size="sm" variant="outline" onClick={() => setLimit((l) => Math.min(200, l + 50))}>
          Show more
        </Button>
      ) : null}
    </section>
  );
}
