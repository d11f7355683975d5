export const PLATFORM_ROLES = ["admin", "support", "user"] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

/** Tenant roles, strongest first. */
export const TENANT_ROLES = ["owner", "member", "viewer"] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

export interface SessionMembership {
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  role: TenantRole;
}

export interface AppSession {
  user: {
    id: string;
    email: string;
    name: string;
    platformRole: PlatformRole;
    memberships: SessionMembership[];
  };
  expires: string;
}
