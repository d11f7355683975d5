import { z } from "zod";
import { TENANT_ROLES } from "../auth/types";

const id = z.string().min(1).max(64);
export const ZTenantSlug = z
  .string()
  .trim()
  .min(2, "at least 2 characters")
  .max(40, "at most 40 characters")
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "lowercase letters, digits and dashes");
export const ZTenantName = z.string().trim().min(1, "name is required").max(100, "at most 100 characters");

const limit = (max: number) => z.number().int("a whole number").min(0, "cannot be negative").max(max, `at most ${max}`);
export const ZQuotaLimits = z.object({
  maxDevelopmentEnvs: limit(1000),
  maxStagingEnvs: limit(1000),
  maxProductionEnvs: limit(1000),
  maxReplicas: limit(10_000),
  maxCpuMillis: limit(10_000_000),
  maxMemoryMiB: limit(100_000_000),
});
export type QuotaLimits = z.infer<typeof ZQuotaLimits>;

export const ZCreateTenantInput = z.object({
  slug: ZTenantSlug,
  name: ZTenantName,
  quota: ZQuotaLimits.partial().optional(),
  zoneIds: z.array(id).max(50).default([]),
});
export const ZRenameTenantInput = z.object({ tenantId: id, name: ZTenantName });
export const ZTenantStatusInput = z.object({
  tenantId: id,
  status: z.enum(["active", "suspended"]),
  reason: z.string().trim().max(500).optional(),
});
export const ZTenantIdInput = z.object({ tenantId: id });
export const ZUpdateQuotaInput = ZQuotaLimits.partial().extend({ tenantId: id });

/** Adding a member invites them: nobody joins a tenant without accepting (server/services/invitations.ts). */
export const ZAddMemberInput = z.object({
  tenantId: id,
  email: z.string().trim().toLowerCase().email("a valid email address").max(254),
  role: z.enum(TENANT_ROLES),
});
export const ZInvitationInput = z.object({ tenantId: id, invitationId: id });
export const ZMyInvitationInput = z.object({ invitationId: id });
export const ZMemberInput = z.object({ tenantId: id, userId: id });
export const ZMemberRoleInput = ZMemberInput.extend({ role: z.enum(TENANT_ROLES) });
