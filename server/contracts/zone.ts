import { z } from "zod";

const id = z.string().min(1).max(64);
export const ZZoneFields = z.object({
  name: z
    .string()
    .trim()
    .min(2, "at least 2 characters")
    .max(40, "at most 40 characters")
    .regex(/^[a-z0-9][a-z0-9-]*$/, "lowercase letters, digits and dashes"),
  purpose: z.enum(["control_plane", "workload", "restricted"]),
  isolation: z.enum(["shared", "dedicated"]),
  description: z.string().trim().max(300).default(""),
});
export const ZCreateZoneInput = ZZoneFields;
export const ZUpdateZoneInput = ZZoneFields.partial().extend({ zoneId: id });
export const ZZoneIdInput = z.object({ zoneId: id });
export const ZGrantInput = z.object({ tenantId: id, zoneId: id });
