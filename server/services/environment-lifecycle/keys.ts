import type { z } from "zod";
import { requireTenantRole } from "../../auth/caller";
import type { ZKeyDeleteInput, ZKeyListInput, ZKeyPutInput } from "../../contracts/environment-key";
import { withEtcd } from "../../etcd/client";
import { environmentPrefix, environmentUser } from "../../etcd/environment-access";
import { unseal } from "../../etcd/secret-box";
import { AppError } from "../../errors";
import type { TenantRole } from "../../auth/types";
import { type ServiceCtx, userActor } from "../actor";
import { clusterEndpoints } from "../runtime/cluster-access";
import { environmentFor } from "./access";
import { Range } from "etcd3";
import { recordAudit } from "../audit";

/**
 * The environment page's key browser. It reaches the environment the way any
 * of its clients does: the environment's own etcd user on its own prefix at
 * its state server's endpoints, so it can never show another environment's
 * keys. Reading needs the viewer role in the tenant, writing the member role.
 */
async function environmentAccess(ctx: ServiceCtx, environmentId: string, role: TenantRole) {
  const env = await environmentFor(ctx.db, ctx.caller, environmentId);
  requireTenantRole(ctx.caller, env.tenantId, role);
  const row = await ctx.db.environment.findUniqueOrThrow({ where: { id: env.id }, select: { dataServerId: true, credentialSealed: true } });
  if (!row.dataServerId || row.dataServerId !== env.stateServerId || !row.credentialSealed) {
    throw new AppError("PRECONDITION_FAILED", `${env.name} is not writable yet (${env.status}): its state server is still starting`);
  }
  const { endpoints, tls } = await clusterEndpoints(ctx.db, row.dataServerId);
  if (!endpoints.length) throw new AppError("UNAVAILABLE", `${env.name}'s state server has no reachable member`);
  return {
    env,
    // The control plane's client certificate admits it; the environment's own password decides what it may touch.
    access: { endpoints, auth: { username: environmentUser(env.id), password: unseal(row.credentialSealed) }, ...(tls ? { tls } : {}) },
    prefix: environmentPrefix(env.id),
  };
}

/** etcd failures a person can act on: quorum lost, or the cluster busy. */
function unavailable(error: unknown): never {
  if (error instanceof AppError) throw error;
  throw new AppError("UNAVAILABLE", `The state server did not answer: ${error instanceof Error ? error.message : String(error)}`);
}

export async function listKeys(ctx: ServiceCtx, input: z.infer<typeof ZKeyListInput>) {
  const { access, prefix } = await environmentAccess(ctx, input.environmentId, "viewer");
  const scope = Range.prefix(prefix + input.prefix);
  const range = input.cursor ? new Range(Buffer.from(prefix + input.cursor + "\u0000"), scope.end) : scope;
  const page = await withEtcd(access, (client) =>
    client
      .getAll()
      .inRange(range)
      .sort("Key", "Ascend")
      .limit(input.limit + 1)
      .exec(),
  ).catch(unavailable);
  const items = page.kvs.slice(0, input.limit).map((kv) => ({
    key: kv.key.toString("utf8").slice(prefix.length),
    value: kv.value.toString("utf8"),
    revision: Number(kv.mod_revision),
    version: Number(kv.version),
  }));
  return { items, next: page.kvs.length > input.limit ? items.at(-1)!.key : null, revision: Number(page.header.revision) };
}

export async function putKey(ctx: ServiceCtx, input: z.infer<typeof ZKeyPutInput>) {
  const { env, access, prefix } = await environmentAccess(ctx, input.environmentId, "member");
  const res = await withEtcd(access, (client) =>
    client
      .put(prefix + input.key)
      .value(input.value)
      .exec(),
  ).catch(unavailable);
  await ctx.db.$transaction((tx) =>
    recordAudit(tx, {
      ...userActor(ctx),
      action: "environment.key_put",
      targetType: "environment",
      targetId: env.id,
      tenantId: env.tenantId,
      after: { key: input.key, bytes: Buffer.byteLength(input.value) },
    }),
  );
  return { key: input.key, revision: Number(res.header.revision) };
}

export async function deleteKey(ctx: ServiceCtx, input: z.infer<typeof ZKeyDeleteInput>) {
  const { env, access, prefix } = await environmentAccess(ctx, input.environmentId, "member");
  const res = await withEtcd(access, (client) =>
    client
      .delete()
      .key(prefix + input.key)
      .exec(),
  ).catch(unavailable);
  await ctx.db.$transaction((tx) =>
    recordAudit(tx, {
      ...userActor(ctx),
      action: "environment.key_delete",
      targetType: "environment",
      targetId: env.id,
      tenantId: env.tenantId,
      after: { key: input.key, deleted: Number(res.deleted) },
    }),
  );
  return { key: input.key, deleted: Number(res.deleted) > 0 };
}
