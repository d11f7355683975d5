import { z } from "zod";
import { ZCursor, ZInstant } from "./ranges";
import { HEALTH_FILTERS, MAP_STAGES } from "../services/placement-map/types";

const name = z.string().trim().min(1).max(200);

export const ZMapInput = z.object({ asOf: ZInstant.nullish() }).default({});

export const ZHostDetailInput = z.object({ hostId: z.string().min(1).max(64) });

export const ZExplainInput = z.object({ server: name, ordinal: z.number().int().min(0).max(98) });

export const ZWhatIfInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("host"), host: name }),
  z.object({ kind: z.literal("failureDomain"), failureDomain: name }),
]);

export const ZHistoryInput = z
  .object({
    kinds: z
      .array(z.enum(["placed", "moved", "failed_over", "drained", "unplaced", "stopped"]))
      .max(6)
      .optional(),
    causes: z
      .array(z.enum(["user", "agent", "controller", "system"]))
      .max(4)
      .optional(),
    server: name.optional(),
    host: name.optional(),
    from: ZInstant.optional(),
    to: ZInstant.optional(),
    limit: z.number().int().min(1).max(200).default(50),
    cursor: ZCursor.nullish(),
  })
  .default({ limit: 50 });

/** The map selection as it appears in the URL (and in export links). */
export const ZMapSelection = z.object({
  tenant: name.optional(),
  env: name.optional(),
  server: name.optional(),
  host: name.optional(),
  zone: name.optional(),
  stage: z.enum(MAP_STAGES).optional(),
  health: z.enum(HEALTH_FILTERS).optional(),
});
