"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { SELECTION_KEYS, type MapSelection } from "@/server/services/placement-map/selection";
import { COLOR_MODES, HEALTH_FILTERS, MAP_STAGES, type ColorMode } from "@/server/services/placement-map/types";

export const PANELS = ["selection", "risk", "what-if", "history"] as const;
export type Panel = (typeof PANELS)[number];

/** Everything a support person may want to paste as a link lives in the URL. */
export interface MapUrlState {
  sel: MapSelection;
  color: ColorMode;
  /** ISO time: the map as it was then. */
  at: string | null;
  /** Host name whose drawer is open. */
  open: string | null;
  /** `server#ordinal` whose explanation is shown. */
  replica: string | null;
  panel: Panel;
  risk: boolean;
  /** `host:<name>` or `fd:<name>` */
  whatIf: string | null;
}

const oneOf = <T extends string>(values: readonly T[], v: string | null, fallback: T): T =>
  v && (values as readonly string[]).includes(v) ? (v as T) : fallback;

export function parseMapUrl(params: URLSearchParams): MapUrlState {
  const sel: MapSelection = {};
  for (const k of SELECTION_KEYS) {
    const v = params.get(k);
    if (!v) continue;
    if (k === "stage") sel.stage = oneOf(MAP_STAGES, v, "production");
    else if (k === "health") sel.health = oneOf(HEALTH_FILTERS, v, "healthy");
    else sel[k] = v;
  }
  return {
    sel,
    color: oneOf(COLOR_MODES, params.get("color"), "tenant"),
    at: params.get("at"),
    open: params.get("open"),
    replica: params.get("replica"),
    panel: oneOf(PANELS, params.get("panel"), "selection"),
    risk: params.get("risk") === "1",
    whatIf: params.get("whatif"),
  };
}

export function useMapUrl() {
  const params = useSearchParams();
  const state = useMemo(() => parseMapUrl(new URLSearchParams(params.toString())), [params]);
  /** Sets or clears (null/"") keys; replaceState keeps the page (no server round trip) and Next syncs useSearchParams. */
  const update = useCallback((changes: Record<string, string | null | undefined>) => {
    const next = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === undefined || v === "") next.delete(k);
      else next.set(k, v);
    }
    const query = next.toString();
    window.history.replaceState(null, "", `${window.location.pathname}${query ? `?${query}` : ""}`);
  }, []);
  return { state, update };
}
