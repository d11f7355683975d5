import { randomBytes } from "node:crypto";
import type pg from "pg";
import { hashSecret } from "../../server/auth/password";
import { API_TOKEN_PREFIX } from "../../server/services/api-tokens";

/** One load client: a tenant owner with a personal API token, and its tenant's environments. */
export interface LoadClient {
  userId: string;
  email: string;
  token: string;
  tenantId: string;
  /** The tenant's environments that have a state server (for environment.get). */
  environmentIds: string[];
  /** All of the tenant's environments (what its list pages through). */
  environmentCount: number;
}

export interface LoadUsers {
  clients: LoadClient[];
  support: { userId: string; email: string; token: string };
  zoneId: string;
}

const QUOTA_PLENTY = 1_000_000;

/**
 * Creates `n` tenant owners (one per generated tenant that has placed
 * environments) and one support user, each with a personal API token
 * (`Authorization: Bearer sht_…`, the CLI's way in), and gives those tenants a
 * quota no benchmark run can exhaust. Plain SQL on the seeded fleet database.
 */
export async function createLoadUsers(client: pg.ClientBase, n: number): Promise<LoadUsers> {
  const tenants = (
    await client.query<{ id: string; envs: string[]; total: number }>(
      `SELECT t.id, array_agg(e.id ORDER BY e.id) AS envs,
         (SELECT count(*)::int FROM "Environment" a WHERE a."tenantId" = t.id) AS total
       FROM "Tenant" t JOIN "Environment" e ON e."tenantId" = t.id AND e."stateServerId" IS NOT NULL
       WHERE t.slug LIKE 'tenant-%'
       GROUP BY t.id ORDER BY t.id LIMIT $1`,
      [n],
    )
  ).rows;
  if (tenants.length < n)
    throw new Error(`the fleet has ${tenants.length} tenants with placed environments; ${n} load clients need one each`);
  const zone = (await client.query<{ id: string }>(`SELECT id FROM "SecurityZone" WHERE name = 'shared-east'`)).rows[0];
  if (!zone) throw new Error("the fleet has no shared-east zone");
  const newToken = () => `${API_TOKEN_PREFIX}_${randomBytes(32).toString("base64url")}`;
  const clients: LoadClient[] = tenants.map((t, i) => ({
    userId: `bench-user-${i}`,
    email: `bench-${i}@bench.invalid`,
    token: newToken(),
    tenantId: t.id,
    environmentIds: t.envs,
    environmentCount: t.total,
  }));
  const support = { userId: "bench-support", email: "bench-support@bench.invalid", token: newToken() };
  const users = [...clients.map((c) => [c.userId, c.email, "user"]), [support.userId, support.email, "support"]];
  // "!" is no bcrypt hash: these users can only come in with their API tokens.
  await client.query(
    `INSERT INTO "User" (id, email, name, "passwordHash", "platformRole", "updatedAt")
     SELECT id, email, email, '!', role::"PlatformRole", now() FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, email, role)`,
    [users.map((u) => u[0]), users.map((u) => u[1]), users.map((u) => u[2])],
  );
  await client.query(
    `INSERT INTO "Membership" (id, "tenantId", "userId", role) SELECT 'bench-m-' || u, t, u, 'owner' FROM unnest($1::text[], $2::text[]) AS m(u, t)`,
    [clients.map((c) => c.userId), clients.map((c) => c.tenantId)],
  );
  const tokens = [...clients.map((c) => [c.userId, c.token]), [support.userId, support.token]];
  // lastUsedAt = now: the once-a-minute "last used" write happens as it would for a busy script, not on the first call of each.
  await client.query(
    `INSERT INTO "ApiToken" (id, "userId", name, "tokenHash", "lastUsedAt") SELECT 'bench-t-' || u, u, 'api bench', h, now() FROM unnest($1::text[], $2::text[]) AS t(u, h)`,
    [tokens.map((t) => t[0]), tokens.map((t) => hashSecret(t[1]!))],
  );
  await client.query(
    `UPDATE "Quota" SET "maxDevelopmentEnvs" = $2, "maxStagingEnvs" = $2, "maxProductionEnvs" = $2, "maxReplicas" = $2, "maxCpuMillis" = $2, "maxMemoryMiB" = $2
     WHERE "tenantId" = ANY($1::text[])`,
    [clients.map((c) => c.tenantId), QUOTA_PLENTY],
  );
  return { clients, support, zoneId: zone.id };
}
