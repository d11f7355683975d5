"use client";

import { cn } from "@/components/ui/cn";
import { HistoryPanel } from "./history-panel";
import type { PanelProps } from "./panel-props";
import { RiskPanel, WhatIfPanel } from "./risk-what-if-panels";
import { SelectionPanel } from "./selection-panel";
import { PANELS, type Panel } from "./use-map-url";

const TITLES: Record<Panel, string> = { selection: "Selection", risk: "Quorum risk", "what-if": "What if", history: "History" };

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
