import type { UseQueryResult } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import type { DecodedMap, SelectionResult } from "@/server/services/placement-map/selection";
import type { MapUrlState } from "./use-map-url";

type Out = inferRouterOutputs<AppRouter>["placement"];
export type Update = (changes: Record<string, string | null | undefined>) => void;
export interface PanelProps {
  d: DecodedMap;
  sel: SelectionResult;
  state: MapUrlState;
  update: Update;
  risks: UseQueryResult<Out["risks"], unknown>;
  whatIf: UseQueryResult<Out["whatIf"], unknown>;
  asOf: Date | null;
}

export const SELECT_CLASS = "h-9 rounded-md border border-input bg-background px-2 text-sm";
