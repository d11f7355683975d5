"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { QueryErrorAlert } from "@/components/ui/query-error-alert";
import { type PanelProps, SELECT_CLASS } from "./panel-props";
import { plural } from "@/components/ui/plural";

export function RiskPanel({ risks, update, asOf }: PanelProps) {
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

export function WhatIfPanel({ d, state, update, whatIf, asOf }: PanelProps) {
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
            : {plural(whatIf.data.moved.length, "replica")} would move, {whatIf.data.failures.length} could not be placed. Servers at quorum
            risk: {whatIf.data.quorum.before} → {whatIf.data.quorum.after}.
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
