import type { PlatformRole, TenantRole } from "@/server/auth/types";

export const PLATFORM_ROLE_LABEL: Record<PlatformRole, string> = {
  admin: "Administrator",
  support: "Support",
  user: "User",
};

export const TENANT_ROLE_LABEL: Record<TenantRole, string> = {
  owner: "Owner",
  member: "Member",
  viewer: "Viewer",
};
