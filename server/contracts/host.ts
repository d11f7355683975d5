import { z } from "zod";

const id = z.string().min(1).max(64);
export const ZRegisterHostInput = z.object({
  zoneId: id,
  failureDomain: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9-]*$/, "lowercase letters, digits and dashes")
    .optional(),
  /** Token lifetime in minutes (1 minute to 7 days). */
  ttlMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
});
export const ZHostIdInput = z.object({ hostId: id });
export const ZHostStateInput = z.object({
  hostId: id,
  action: z.enum(["cordon", "uncordon"]),
  reason: z.string().trim().max(500).optional(),
});
/** Draining has its own procedure: it persists the engine's make-before-break plan, not just the state. */
export const ZDrainHostInput = z.object({
  hostId: id,
  reason: z.string().trim().max(500).optional(),
});
