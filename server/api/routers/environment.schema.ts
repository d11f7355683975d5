import { z } from "zod";
import { HA_LEVELS, STAGES } from "../../core/model";

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
