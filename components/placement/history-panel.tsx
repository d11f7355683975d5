"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { formatDateTime } from "@/components/ui/format-date";
import { Label } from "@/components/ui/label";
import { QueryErrorAlert } from "@/components/ui/query-error-alert";
import { cn } from "@/components/ui/cn";
import { type PanelProps, SELECT_CLASS } from "./panel-props";

const KINDS = ["placed", "moved", "failed_over", "drained", "unplaced", "stopped"] as const;

export function HistoryPanel({ state, update }: PanelProps) {
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
