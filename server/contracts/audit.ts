import { z } from "zod";
import { ZCursor, ZInstant } from "./ranges";

/** Audit filters; shared by the list procedure and the CSV export (query-string values are strings). */
export const ZAuditFilter = z.object({
  actor: z.string().trim().max(254).optional(),
  tenantId: z.string().trim().max(64).optional(),
  action: z.string().trim().max(100).optional(),
  targetType: z.string().trim().max(64).optional(),
  targetId: z.string().trim().max(64).optional(),
  from: ZInstant.optional(),
  to: ZInstant.optional(),
});
export type AuditFilter = z.infer<typeof ZAuditFilter>;

export const ZAuditListInput = z
  .object({
    limit: z.number().int().min(1).max(100).default(20),
    cursor: ZCursor.nullish(),
  })
  .extend(ZAuditFilter.shape)
  .default({ limit: 20 });
