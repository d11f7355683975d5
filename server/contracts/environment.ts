import { z } from "zod";
import { HA_LEVELS, STAGES } from "../core/model";

export const ZHaLevel = z.union(HA_LEVELS.map((n) => z.literal(n)) as [z.ZodLiteral<1>, z.ZodLiteral<3>, z.ZodLiteral<5>]);

export const ZCreateEnvironmentInput = z.object({
  tenantId: z.string().min(1).max(64),
  name: z
    .string()
    .trim()
    .min(1, "name is required")
    .max(40, "at most 40 characters")
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "lowercase letters, digits and dashes; starts and ends with a letter or digit"),
  stage: z.enum(STAGES),
  haLevel: ZHaLevel,
  zoneId: z.string().min(1).max(64),
});
export type CreateEnvironmentInput = z.infer<typeof ZCreateEnvironmentInput>;

const ZId = z.string().min(1).max(64);

/** An environment by id, or by name within the caller's tenants (the CLI's way). */
export const ZEnvironmentRef = z.union([
  z.object({ id: ZId }),
  z.object({ name: z.string().trim().min(1).max(40), tenantId: ZId.optional() }),
]);

export const ZPreviewEnvironmentInput = ZCreateEnvironmentInput.extend({
  name: z.string().trim().max(40).optional(),
});

export const ZRemoveEnvironmentInput = z.object({ id: ZId, confirmName: z.string().trim().min(1, "type the environment's name").max(40) });

export const ZSetHaInput = z.object({ id: ZId, haLevel: ZHaLevel });

export const ZMoveEnvironmentInput = z.object({
  id: ZId,
  /** "dedicated" (a new server of the tenant's own), "auto" (the engine's pick) or a state server id. */
  target: z.union([z.literal("dedicated"), z.literal("auto"), ZId]),
});
