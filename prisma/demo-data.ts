/**
 * The demo world `npm start` seeds (never in production mode) and e2e tests reuse.
 * Everything here is public demo data: do not put real secrets in it.
 */
export const DEMO_PASSWORD = "statehouse-demo";

export const DEMO_USERS = {
  admin: { email: "admin@statehouse.local", name: "Ada Admin", platformRole: "admin" },
  support: { email: "support@statehouse.local", name: "Sam Support", platformRole: "support" },
  user: { email: "alice@acme.test", name: "Alice Owner", platformRole: "user" },
} as const;

/** Further tenant users (not printed): a member and viewer of Acme, and Globex's owner. */
export const DEMO_EXTRA_USERS = [
  { email: "bob@acme.test", name: "Bob Member", tenant: "acme", role: "member" },
  { email: "vera@acme.test", name: "Vera Viewer", tenant: "acme", role: "viewer" },
  { email: "gina@globex.test", name: "Gina Globex", tenant: "globex", role: "owner" },
] as const;

export const DEMO_TENANTS = [
  { slug: "acme", name: "Acme", owner: DEMO_USERS.user.email },
  { slug: "globex", name: "Globex" },
] as const;

export const DEMO_ZONES = [
  { name: "control", purpose: "control_plane", isolation: "shared", description: "Platform control plane" },
  { name: "shared-east", purpose: "workload", isolation: "shared", description: "Shared workload hosts" },
  { name: "restricted", purpose: "restricted", isolation: "dedicated", description: "Dedicated per tenant" },
] as const;
