import { seal } from "../etcd/secret-box";
/**
 * The world the authorization matrix, the fuzz suites and the security tests
 * act in: the demo seed plus Acme and Globex fixtures, and a caller per role.
 */
import { TRPCError } from "@trpc/server";
import { DEMO_EXTRA_USERS, DEMO_USERS } from "../../prisma/demo-data";
import { seedDemo } from "../../prisma/seed";
import { hashSecret } from "../auth/password";
import type { Db } from "../db/client";
import { callerAs } from "./callers";
import { EMAIL, ROLES, type Fx, type Outcome, type Role, type TenantFx } from "./procedure-matrix";

export type Caller = Awaited<ReturnType<typeof callerAs>>;

/** Calls `path` ("router.procedure") on an in-process caller; a TRPCError becomes its code. */
export async function callProcedure(
  caller: Caller,
  path: string,
  input: unknown,
): Promise<{ code: Outcome; message?: string; error?: TRPCError; value?: unknown }> {
  const [router, proc] = path.split(".") as [string, string];
  const fn = (caller as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>)[router]![proc]!;
  try {
    return { code: "ok", value: await fn(input) };
  } catch (e) {
    if (e instanceof TRPCError) return { code: e.code, message: e.message, error: e };
    throw e;
  }
}

async function tenantFx(db: Db, slug: string, memberEmail: string, ownerEmail: string): Promise<TenantFx> {
  const tenant = await db.tenant.findUniqueOrThrow({ where: { slug } });
  const zone = await db.securityZone.findUniqueOrThrow({ where: { name: "shared-east" } });
  const env = await db.environment.create({
    data: { tenantId: tenant.id, name: `${slug}-prod`, stage: "production", haLevel: 3, zoneId: zone.id, credentialSealed: seal(slug) },
  });
  const member = await db.user.findUniqueOrThrow({ where: { email: memberEmail } });
  const owner = await db.user.findUniqueOrThrow({ where: { email: ownerEmail } });
  const token = await db.apiToken.create({ data: { userId: owner.id, name: "owner's", tokenHash: hashSecret(`${slug}-token`) } });
  await db.quota.update({
    where: { tenantId: tenant.id },
    data: { maxDevelopmentEnvs: 100, maxReplicas: 1000, maxCpuMillis: 1_000_000, maxMemoryMiB: 1_000_000 },
  });
  return { tenantId: tenant.id, envId: env.id, memberUserId: member.id, zoneId: zone.id, tokenId: token.id };
}

/**
 * The matrix world on a fresh database: the demo seed, Acme and Globex with a
 * production environment, a member and an API token each, a host running a
 * replica of Globex's dedicated state server, a disabled rule; and a caller
 * per role.
 */
export async function createMatrixWorld(db: Db): Promise<{ fx: Fx; callers: Map<Role, Caller> }> {
  await seedDemo(db);
  const globexTenant = await db.tenant.findUniqueOrThrow({ where: { slug: "globex" } });
  const gwen = await db.user.create({ data: { email: "gwen@globex.test", name: "Gwen", passwordHash: "x" } });
  await db.membership.create({ data: { tenantId: globexTenant.id, userId: gwen.id, role: "member" } });
  const acme = await tenantFx(db, "acme", DEMO_EXTRA_USERS[0].email, DEMO_USERS.user.email);
  const globex = await tenantFx(db, "globex", gwen.email, DEMO_EXTRA_USERS[2].email);
  const host = await db.host.create({
    data: { name: "mx-host-1", zoneId: acme.zoneId, failureDomain: "a", cpuMillis: 8000, memoryMiB: 16384 },
  });
  const server = await db.stateServer.create({
    data: {
      name: "mx-ss-1",
      zoneId: acme.zoneId,
      tenancy: "dedicated",
      tenantId: globex.tenantId,
      replicas: 1,
      cpuMillis: 1000,
      memoryMiB: 1024,
    },
  });
  await db.replica.create({ data: { stateServerId: server.id, ordinal: 0, hostId: host.id, state: "running" } });
  await db.environment.update({ where: { id: globex.envId }, data: { stateServerId: server.id } });
  const policy = await db.policyRule.create({ data: { kind: "stage_separation", name: "mx-separate", enabled: false } });
  let counter = 0;
  const fx: Fx = {
    db,
    acme,
    globex,
    hostId: host.id,
    hostName: host.name,
    serverName: server.name,
    policyId: policy.id,
    n: () => ++counter,
  };
  const callers = new Map<Role, Caller>();
  for (const role of ROLES) callers.set(role, await callerAs(db, EMAIL[role]));
  return { fx, callers };
}
