import { newSecret } from "../auth/password";
import { seal } from "../etcd/secret-box";
import type { Db } from "../db/client";
import type { Stage } from "../db/generated/client";
import { recordAudit } from "../services/audit";
import { recountQuotaUsage } from "../services/quota-usage";
import { createJoinToken } from "../services/runtime/join-tokens";

/**
 * A runtime world for the demo fleet and the runtime tests: a zone, a tenant,
 * state servers with environments (credentials returned once) and join tokens.
 * The admin-side environment service is the real way to create environments;
 * this writes rows directly so the runtime can be exercised on its own.
 */
export interface WorldServer {
  name: string;
  replicas: number;
  environments: { name: string; stage: Stage; isHostPool?: boolean }[];
}

export interface World {
  zoneId: string;
  tenantId: string;
  servers: { id: string; name: string; replicas: number }[];
  environments: { id: string; name: string; stateServerId: string; credential: string; isHostPool: boolean }[];
}

export async function createWorld(db: Db, options: { zoneName: string; tenantSlug: string; servers: WorldServer[] }): Promise<World> {
  return db.$transaction(async (tx) => {
    const zone =
      (await tx.securityZone.findUnique({ where: { name: options.zoneName }, select: { id: true } })) ??
      (await tx.securityZone.create({ data: { name: options.zoneName, purpose: "workload", isolation: "shared" }, select: { id: true } }));
    const tenant =
      (await tx.tenant.findUnique({ where: { slug: options.tenantSlug }, select: { id: true } })) ??
      (await tx.tenant.create({
        data: { slug: options.tenantSlug, name: options.tenantSlug, quota: { create: {} } },
        select: { id: true },
      }));
    await tx.zoneGrant.upsert({
      where: { tenantId_zoneId: { tenantId: tenant.id, zoneId: zone.id } },
      update: {},
      create: { tenantId: tenant.id, zoneId: zone.id },
    });
    const world: World = { zoneId: zone.id, tenantId: tenant.id, servers: [], environments: [] };
    for (const s of options.servers) {
      const server = await tx.stateServer.create({
        data: { name: s.name, zoneId: zone.id, replicas: s.replicas, cpuMillis: 250, memoryMiB: 256, spread: "required" },
        select: { id: true },
      });
      world.servers.push({ id: server.id, name: s.name, replicas: s.replicas });
      for (const e of s.environments) {
        const credential = newSecret("env");
        const env = await tx.environment.create({
          data: {
            tenantId: tenant.id,
            name: e.name,
            stage: e.stage,
            haLevel: s.replicas,
            zoneId: zone.id,
            stateServerId: server.id,
            credentialSealed: seal(credential),
            isHostPool: e.isHostPool ?? false,
          },
          select: { id: true },
        });
        world.environments.push({ id: env.id, name: e.name, stateServerId: server.id, credential, isHostPool: e.isHostPool ?? false });
      }
    }
    await recountQuotaUsage(tx);
    await recordAudit(tx, {
      actorType: "system",
      actorLabel: "runtime fixtures",
      action: "runtime.world.create",
      targetType: "installation",
      tenantId: tenant.id,
      after: { servers: world.servers.map((s) => s.name), environments: world.environments.map((e) => e.name) },
    });
    return world;
  });
}

export async function joinTokens(db: Db, zoneId: string, count: number, environmentId?: string) {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    tokens.push(
      (await db.$transaction((tx) => createJoinToken(tx, { zoneId, environmentId, ttl: 3600, actorLabel: "runtime fixtures" }))).token,
    );
  }
  return tokens;
}
