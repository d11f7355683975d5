import type { z } from "zod";
import type { ZCreatePolicyInput, ZUpdatePolicyInput } from "../contracts/policy";
import { requireAdmin } from "../auth/caller";
import type { Tx } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { activeRules, findViolations, parseRule, policyWorldOf, type PolicyRule, RELAXABLE_BUILT_IN_KINDS } from "../core/policy";
import { AppError, notFound } from "../errors";
import { conflictOnUnique, type ServiceCtx, TX_OPTIONS, userActor } from "./actor";
import { recordAudit } from "./audit";
import { requireFleetReader } from "../auth/caller";
import { readFleetSnapshot } from "./fleet-snapshot";

export const policySelect = {
  id: true,
  kind: true,
  name: true,
  enabled: true,
  builtIn: true,
  params: true,
  description: true,
  updatedAt: true,
} satisfies Prisma.PolicyRuleSelect;

/** Enabled rules, parsed; the built-in self-hosting rule is always in force. */
export async function loadActiveRules(tx: Tx): Promise<PolicyRule[]> {
  return activeRules(await tx.policyRule.findMany({ orderBy: { name: "asc" } }));
}

/** Changing a rule re-checks what exists: how many environments/replicas now break it (listed on the Compliance page). */
async function withViolations<T extends { name: string }>(ctx: ServiceCtx, row: T): Promise<T & { violations: number }> {
  const snapshot = await readFleetSnapshot(ctx.db);
  return { ...row, violations: findViolations(policyWorldOf(snapshot), snapshot.rules).filter((v) => v.rule === row.name).length };
}

/** Params must fit the kind and name real tenants and zones. */
async function validate(tx: Tx, row: { name: string; kind: string; params: unknown }) {
  const parsed = parseRule({ id: "new", enabled: true, builtIn: false, ...row });
  if (!parsed.ok) throw new AppError("VALIDATION", parsed.message, { field: parsed.field });
  const r = parsed.rule;
  const tenantIds = r.kind === "never_share" || r.kind === "zone_reserved" ? r.params.tenantIds : [];
  if (tenantIds.length && (await tx.tenant.count({ where: { id: { in: tenantIds } } })) !== new Set(tenantIds).size) {
    throw new AppError("VALIDATION", "params.tenantIds: unknown tenant", { field: "params.tenantIds" });
  }
  if (r.kind === "zone_reserved" && !(await tx.securityZone.findUnique({ where: { id: r.params.zoneId } }))) {
    throw new AppError("VALIDATION", "params.zoneId: unknown zone", { field: "params.zoneId" });
  }
  return r.params as Prisma.InputJsonValue;
}

export async function getPolicy(ctx: ServiceCtx, id: string) {
  requireFleetReader(ctx.caller);
  const row = await ctx.db.policyRule.findUnique({ where: { id }, select: policySelect });
  if (!row) throw notFound("Policy rule");
  return row;
}

export async function createPolicy(ctx: ServiceCtx, input: z.infer<typeof ZCreatePolicyInput>) {
  requireAdmin(ctx.caller);
  return ctx.db
    .$transaction(async (tx) => {
      const params = await validate(tx, input);
      const row = await tx.policyRule.create({ data: { ...input, params }, select: policySelect });
      await recordAudit(tx, {
        ...userActor(ctx),
        action: "policy.create",
        targetType: "policy",
        targetId: row.id,
        after: { ...input, params },
      });
      return row;
    }, TX_OPTIONS)
    .then((row) => withViolations(ctx, row))
    .catch((e) => conflictOnUnique(e, "name", `name: a rule named ${input.name} already exists`));
}

export async function updatePolicy(ctx: ServiceCtx, input: z.infer<typeof ZUpdatePolicyInput>) {
  requireAdmin(ctx.caller);
  return ctx.db
    .$transaction(async (tx) => {
      const before = await tx.policyRule.findUnique({ where: { id: input.id }, select: policySelect });
      if (!before) throw notFound("Policy rule");
      if (before.builtIn) {
        const relaxable = RELAXABLE_BUILT_IN_KINDS.includes(before.kind);
        if (input.params || (input.name && input.name !== before.name))
          throw new AppError("PRECONDITION_FAILED", `${before.name} is a built-in rule: only switching it on or off is allowed`);
        if (input.enabled === false && !relaxable)
          throw new AppError("PRECONDITION_FAILED", `${before.name} is a built-in rule: it is always on and cannot be changed`);
      }
      const { id, ...patch } = input;
      const params = input.params ? await validate(tx, { name: before.name, kind: before.kind, params: input.params }) : undefined;
      const row = await tx.policyRule.update({ where: { id }, data: { ...patch, params }, select: policySelect });
      await recordAudit(tx, {
        ...userActor(ctx),
        action: "policy.update",
        targetType: "policy",
        targetId: id,
        before: before as unknown as Prisma.InputJsonValue,
        after: row as unknown as Prisma.InputJsonValue,
      });
      return row;
    }, TX_OPTIONS)
    .then((row) => withViolations(ctx, row))
    .catch((e) => conflictOnUnique(e, "name", `name: a rule named ${input.name} already exists`));
}

export async function removePolicy(ctx: ServiceCtx, id: string, reason?: string) {
  requireAdmin(ctx.caller);
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.policyRule.findUnique({ where: { id }, select: policySelect });
    if (!before) throw notFound("Policy rule");
    if (before.builtIn) throw new AppError("PRECONDITION_FAILED", `${before.name} is a built-in rule and cannot be removed`);
    await tx.policyRule.delete({ where: { id } });
    await recordAudit(tx, {
      ...userActor(ctx),
      action: "policy.remove",
      targetType: "policy",
      targetId: id,
      reason,
      before: before as unknown as Prisma.InputJsonValue,
    });
    return { id };
  }, TX_OPTIONS);
}
