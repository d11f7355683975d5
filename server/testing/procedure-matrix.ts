import { seal } from "../etcd/secret-box";
/**
 * The authorization matrix's fixtures, shared by the matrix, the fuzz suite and
 * the security tests: roles, the world they act in, and for every procedure of
 * the router who may call it and with which (valid) input.
 */
import { TRPCError } from "@trpc/server";
import { DEMO_EXTRA_USERS, DEMO_USERS } from "../../prisma/demo-data";
import { appRouter } from "../api/root";
import type { Db } from "../db/client";

export const ROLES = ["anonymous", "admin", "support", "acmeOwner", "acmeMember", "acmeViewer", "globexOwner"] as const;
export type Role = (typeof ROLES)[number];
export const EMAIL: Record<Role, string | null> = {
  anonymous: null,
  admin: DEMO_USERS.admin.email,
  support: DEMO_USERS.support.email,
  acmeOwner: DEMO_USERS.user.email,
  acmeMember: DEMO_EXTRA_USERS[0].email,
  acmeViewer: DEMO_EXTRA_USERS[1].email,
  globexOwner: DEMO_EXTRA_USERS[2].email,
};
export type Outcome = "ok" | TRPCError["code"];

export interface TenantFx {
  tenantId: string;
  envId: string;
  memberUserId: string;
  zoneId: string;
  tokenId: string;
}
export interface Fx {
  db: Db;
  acme: TenantFx;
  globex: TenantFx;
  hostId: string;
  hostName: string;
  serverName: string;
  policyId: string;
  n: () => number;
}

/** Who may pass each tier. Tenant users always hold FOREIGN ids here, hence NOT_FOUND on tenant-scoped procedures. */
const U = "UNAUTHORIZED",
  F = "FORBIDDEN",
  N = "NOT_FOUND",
  B = "BAD_REQUEST";
export const tiers = {
  public: { anonymous: "ok", admin: "ok", support: "ok", acmeOwner: "ok", acmeMember: "ok", acmeViewer: "ok", globexOwner: "ok" },
  authed: { anonymous: U, admin: "ok", support: "ok", acmeOwner: "ok", acmeMember: "ok", acmeViewer: "ok", globexOwner: "ok" },
  support: { anonymous: U, admin: "ok", support: "ok", acmeOwner: F, acmeMember: F, acmeViewer: F, globexOwner: F },
  admin: { anonymous: U, admin: "ok", support: F, acmeOwner: F, acmeMember: F, acmeViewer: F, globexOwner: F },
  tenantRead: { anonymous: U, admin: "ok", support: "ok", acmeOwner: N, acmeMember: N, acmeViewer: N, globexOwner: N },
  tenantWrite: { anonymous: U, admin: "ok", support: F, acmeOwner: N, acmeMember: N, acmeViewer: N, globexOwner: N },
} satisfies Record<string, Record<Role, Outcome>>;

/** In their OWN tenant (Acme ids), what Acme's roles get on a tenant-scoped procedure. */
const own = {
  read: { acmeOwner: "ok", acmeMember: "ok", acmeViewer: "ok" },
  member: { acmeOwner: "ok", acmeMember: "ok", acmeViewer: F },
  owner: { acmeOwner: "ok", acmeMember: F, acmeViewer: F },
} satisfies Record<string, Partial<Record<Role, Outcome>>>;

export interface Entry {
  expect: Record<Role, Outcome>;
  /** Input for a call; `t` is the tenant whose ids to use. Builders may create throw-away rows. */
  input?: (fx: Fx, t: TenantFx) => unknown;
  own?: Partial<Record<Role, Outcome>>;
}
const with_ = (base: Record<Role, Outcome>, patch: Partial<Record<Role, Outcome>>) => ({ ...base, ...patch });

async function freshZone(fx: Fx) {
  return (await fx.db.securityZone.create({ data: { name: `mx-zone-${fx.n()}` } })).id;
}

/** A throw-away environment of the tenant (for procedures that change or remove one). */
async function freshEnv(fx: Fx, t: TenantFx) {
  const name = `mx-env-${fx.n()}`;
  return (
    await fx.db.environment.create({
      data: { tenantId: t.tenantId, name, stage: "development", haLevel: 1, zoneId: t.zoneId, credentialSealed: seal(name) },
    })
  ).id;
}

/** A pending invitation of the tenant for `email`. */
async function freshInvitation(fx: Fx, t: TenantFx, email: string) {
  return (
    await fx.db.invitation.create({ data: { tenantId: t.tenantId, email, role: "viewer", expiresAt: new Date(Date.now() + 86_400_000) } })
  ).id;
}

export const MATRIX: Record<string, Entry> = {
  "session.get": { expect: tiers.public },
  "session.me": { expect: tiers.authed },
  "session.signOutEverywhere": { expect: tiers.authed },
  "account.signUpEnabled": { expect: tiers.public },
  "account.signUp": { expect: tiers.public, input: (fx) => ({ name: "X", email: `su-${fx.n()}@x.test`, password: "long-enough-pass" }) },
  "account.tokens": { expect: tiers.authed },
  "account.createToken": { expect: tiers.authed, input: () => ({ name: "matrix" }) },
  // Tokens are personal: another user's token id is NOT_FOUND for everyone, admins included.
  "account.revokeToken": {
    expect: with_(tiers.authed, { admin: N, support: N, acmeOwner: N, acmeMember: N, acmeViewer: N, globexOwner: N }),
    input: (_fx, t) => ({ id: t.tokenId }),
  },
  // Past the tier, a wrong current password is a VALIDATION error (the matrix's users keep theirs).
  "account.changePassword": {
    expect: with_(tiers.authed, { admin: B, support: B, acmeOwner: B, acmeMember: B, acmeViewer: B, globexOwner: B }),
    input: () => ({ currentPassword: "not-the-password", newPassword: "a long enough passphrase" }),
  },
  "account.invitations": { expect: tiers.authed },
  // Invitations are personal: one addressed to someone else is NOT_FOUND for everyone, admins included.
  "account.acceptInvitation": {
    expect: with_(tiers.authed, { admin: N, support: N, acmeOwner: N, acmeMember: N, acmeViewer: N, globexOwner: N }),
    input: async (fx, t) => ({ invitationId: await freshInvitation(fx, t, `someone-${fx.n()}@x.test`) }),
  },
  "account.declineInvitation": {
    expect: with_(tiers.authed, { admin: N, support: N, acmeOwner: N, acmeMember: N, acmeViewer: N, globexOwner: N }),
    input: async (fx, t) => ({ invitationId: await freshInvitation(fx, t, `someone-${fx.n()}@x.test`) }),
  },
  "account.settings": { expect: tiers.admin },
  "account.updateSettings": { expect: tiers.admin, input: () => ({}) },
  "annotation.list": { expect: tiers.support, input: (_fx, t) => ({ targetType: "tenant", targetId: t.tenantId }) },
  "annotation.create": { expect: tiers.support, input: (_fx, t) => ({ targetType: "tenant", targetId: t.tenantId, body: "checked" }) },
  "audit.list": { expect: tiers.support, input: (_fx, t) => ({ tenantId: t.tenantId }) },
  "audit.verify": { expect: tiers.support },
  "compliance.report": { expect: tiers.support },
  // Past authorization, a plan the admin never saw is a CONFLICT.
  "compliance.applyPlan": {
    expect: with_(tiers.admin, { admin: "CONFLICT" }),
    input: () => ({ moves: [{ replicaId: "nope", to: "nope" }] }),
  },
  "environment.list": { expect: tiers.authed },
  "environment.create": {
    expect: tiers.tenantWrite,
    own: own.member,
    input: (fx, t) => ({ tenantId: t.tenantId, name: `mx-${fx.n()}`, stage: "development", haLevel: 1, zoneId: t.zoneId }),
  },
  "environment.createOptions": { expect: tiers.authed },
  "environment.preview": {
    expect: tiers.tenantWrite,
    own: own.member,
    input: (_fx, t) => ({ tenantId: t.tenantId, stage: "development", haLevel: 1, zoneId: t.zoneId }),
  },
  "environment.get": { expect: tiers.tenantRead, own: own.read, input: (_fx, t) => ({ id: t.envId }) },
  "environment.rotateCredential": { expect: tiers.tenantWrite, own: own.member, input: (_fx, t) => ({ id: t.envId }) },
  // Authorized like rotateCredential, then refused: the matrix's environments have no state server (it runs no etcd).
  "environment.clientCertificate": {
    expect: with_(tiers.tenantWrite, { admin: "PRECONDITION_FAILED" }),
    own: { acmeOwner: "PRECONDITION_FAILED", acmeMember: "PRECONDITION_FAILED", acmeViewer: F },
    input: (_fx, t) => ({ id: t.envId }),
  },
  "environment.setHa": { expect: tiers.tenantWrite, own: own.member, input: async (fx, t) => ({ id: await freshEnv(fx, t), haLevel: 3 }) },
  // Past authorization, a pending environment (no state server yet) cannot move: PRECONDITION_FAILED.
  // The key browser: authorized like the environment, then refused while the environment has no etcd user (the matrix runs no etcd).
  "environmentKey.list": {
    expect: with_(tiers.tenantRead, { admin: "PRECONDITION_FAILED", support: "PRECONDITION_FAILED" }),
    own: { acmeOwner: "PRECONDITION_FAILED", acmeMember: "PRECONDITION_FAILED", acmeViewer: "PRECONDITION_FAILED" },
    input: (_fx, t) => ({ environmentId: t.envId }),
  },
  "environmentKey.put": {
    expect: with_(tiers.tenantWrite, { admin: "PRECONDITION_FAILED" }),
    own: { acmeOwner: "PRECONDITION_FAILED", acmeMember: "PRECONDITION_FAILED", acmeViewer: F },
    input: (_fx, t) => ({ environmentId: t.envId, key: "k", value: "v" }),
  },
  "environmentKey.delete": {
    expect: with_(tiers.tenantWrite, { admin: "PRECONDITION_FAILED" }),
    own: { acmeOwner: "PRECONDITION_FAILED", acmeMember: "PRECONDITION_FAILED", acmeViewer: F },
    input: (_fx, t) => ({ environmentId: t.envId, key: "k" }),
  },
  "environment.move": {
    expect: with_(tiers.tenantWrite, { admin: "PRECONDITION_FAILED" }),
    own: { acmeOwner: "PRECONDITION_FAILED", acmeMember: "PRECONDITION_FAILED", acmeViewer: F },
    input: async (fx, t) => ({ id: await freshEnv(fx, t), target: "auto" }),
  },
  "environment.remove": {
    expect: tiers.tenantWrite,
    own: own.member,
    input: async (fx, t) => {
      const id = await freshEnv(fx, t);
      const env = await fx.db.environment.findUniqueOrThrow({ where: { id } });
      return { id, confirmName: env.name };
    },
  },
  "host.list": { expect: tiers.support },
  "host.register": { expect: tiers.admin, input: (_fx, t) => ({ zoneId: t.zoneId }) },
  "host.setState": {
    expect: tiers.admin,
    input: async (fx) => {
      await fx.db.host.update({ where: { id: fx.hostId }, data: { state: "ready" } });
      return { hostId: fx.hostId, action: "cordon" };
    },
  },
  "host.drain": {
    expect: tiers.admin,
    input: async (fx) => {
      await fx.db.host.update({ where: { id: fx.hostId }, data: { state: "ready" } });
      return { hostId: fx.hostId };
    },
  },
  "host.drainPreview": { expect: tiers.support, input: (fx) => ({ hostId: fx.hostId }) },
  "placement.summary": { expect: tiers.support },
  "placement.map": { expect: tiers.support, input: () => ({}) },
  "placement.version": { expect: tiers.support },
  "placement.host": { expect: tiers.support, input: (fx) => ({ hostId: fx.hostId }) },
  "placement.explain": { expect: tiers.support, input: (fx) => ({ server: fx.serverName, ordinal: 0 }) },
  "placement.risks": { expect: tiers.support },
  "placement.whatIf": { expect: tiers.support, input: (fx) => ({ kind: "host", host: fx.hostName }) },
  "placement.history": { expect: tiers.support, input: () => ({}) },
  "policy.list": { expect: tiers.support, input: () => ({}) },
  "policy.get": { expect: tiers.support, input: (fx) => ({ id: fx.policyId }) },
  "policy.create": {
    expect: tiers.admin,
    input: (fx) => ({ name: `mx-rule-${fx.n()}`, kind: "min_ha", params: { stage: "development", minReplicas: 1 } }),
  },
  "policy.update": { expect: tiers.admin, input: (fx) => ({ id: fx.policyId, description: "updated" }) },
  "policy.remove": {
    expect: tiers.admin,
    input: async (fx) => ({
      id: (await fx.db.policyRule.create({ data: { kind: "stage_separation", name: `mx-gone-${fx.n()}`, enabled: false } })).id,
    }),
  },
  "quota.get": { expect: tiers.tenantRead, own: own.read, input: (_fx, t) => ({ tenantId: t.tenantId }) },
  "quota.update": { expect: tiers.admin, input: (_fx, t) => ({ tenantId: t.tenantId, maxDevelopmentEnvs: 50 }) },
  "tenant.list": { expect: tiers.support, input: () => ({}) },
  "tenant.get": { expect: tiers.tenantRead, own: own.read, input: (_fx, t) => ({ tenantId: t.tenantId }) },
  "tenant.create": { expect: tiers.admin, input: (fx) => ({ slug: `mx-${fx.n()}`, name: "Matrix" }) },
  "tenant.rename": { expect: tiers.admin, input: (_fx, t) => ({ tenantId: t.tenantId, name: t === _fx.acme ? "Acme" : "Globex" }) },
  "tenant.setStatus": { expect: tiers.admin, input: (_fx, t) => ({ tenantId: t.tenantId, status: "active" }) },
  "tenant.remove": {
    expect: tiers.admin,
    input: async (fx) => ({ tenantId: (await fx.db.tenant.create({ data: { slug: `mx-del-${fx.n()}`, name: "Doomed" } })).id }),
  },
  "tenant.addMember": {
    expect: tiers.tenantWrite,
    own: own.owner,
    input: (fx, t) => ({ tenantId: t.tenantId, email: `new-${fx.n()}@x.test`, role: "viewer" }),
  },
  "tenant.invitations": { expect: tiers.tenantWrite, own: own.owner, input: (_fx, t) => ({ tenantId: t.tenantId }) },
  "tenant.revokeInvitation": {
    expect: tiers.tenantWrite,
    own: own.owner,
    input: async (fx, t) => ({ tenantId: t.tenantId, invitationId: await freshInvitation(fx, t, `inv-${fx.n()}@x.test`) }),
  },
  "tenant.setMemberRole": {
    expect: tiers.tenantWrite,
    own: own.owner,
    input: (_fx, t) => ({ tenantId: t.tenantId, userId: t.memberUserId, role: "member" }),
  },
  "tenant.removeMember": {
    expect: tiers.tenantWrite,
    own: own.owner,
    input: async (fx, t) => {
      const user = await fx.db.user.create({ data: { email: `gone-${fx.n()}@x.test`, name: "Gone", passwordHash: "x" } });
      await fx.db.membership.create({ data: { tenantId: t.tenantId, userId: user.id, role: "viewer" } });
      return { tenantId: t.tenantId, userId: user.id };
    },
  },
  "user.setDisabled": {
    expect: tiers.admin,
    input: async (fx) => ({
      userId: (await fx.db.user.create({ data: { email: `dis-${fx.n()}@x.test`, name: "D", passwordHash: "x" } })).id,
      disabled: true,
    }),
  },
  "zone.list": { expect: tiers.support, input: () => ({}) },
  "zone.create": { expect: tiers.admin, input: (fx) => ({ name: `mx-new-${fx.n()}`, purpose: "workload", isolation: "shared" }) },
  "zone.update": { expect: tiers.admin, input: (_fx, t) => ({ zoneId: t.zoneId, description: "Shared workload hosts" }) },
  "zone.remove": { expect: tiers.admin, input: async (fx) => ({ zoneId: await freshZone(fx) }) },
  "zone.grant": { expect: tiers.admin, input: async (fx, t) => ({ tenantId: t.tenantId, zoneId: await freshZone(fx) }) },
  "zone.revoke": {
    expect: tiers.admin,
    input: async (fx, t) => {
      const zoneId = await freshZone(fx);
      await fx.db.zoneGrant.create({ data: { tenantId: t.tenantId, zoneId } });
      return { tenantId: t.tenantId, zoneId };
    },
  },
};

export { callProcedure, createMatrixWorld, type Caller } from "./matrix-world";

export function procedurePaths(): string[] {
  return Object.keys(appRouter._def.procedures as Record<string, unknown>).sort();
}

/** The tenant whose ids a role gets in the matrix: always one it does not belong to. */
export const foreignFor = (fx: Fx, role: Role) => (role === "globexOwner" ? fx.acme : fx.globex);
