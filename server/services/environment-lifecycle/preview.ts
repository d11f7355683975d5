import { requireTenantRole } from "../../auth/caller";
import { whatIf } from "../../core/placement";
import { checkEnvironmentRequest, environmentFootprint } from "../../core/policy";
import { firstOverLine, noQuotaSentence, quotaRefusalSentence } from "../../core/policy/quota-refusal";
import type { HaLevel, Stage } from "../../core/model";
import { type ServiceCtx } from "../actor";
import { loadActiveRules } from "../policies";
import { loadProblem } from "../placement-map/problem";
import { chooseStateServer } from "./server-choice";

export interface PreviewInput {
  tenantId: string;
  name?: string;
  stage: Stage;
  haLevel: HaLevel;
  zoneId: string;
}

const NEW_SERVER = "(new state server)";

/**
 * What creating this environment would do, from the same engine and checks as
 * the real thing, persisting nothing: policy violations (by rule name), the
 * quota it uses, which state server it joins or that a new one is created, and
 * on which hosts that server's replicas run (or would be placed).
 */
export async function previewEnvironment(ctx: ServiceCtx, input: PreviewInput) {
  requireTenantRole(ctx.caller, input.tenantId, "member");
  const { db } = ctx;
  const [tenant, zone, grants, rules, quota, taken] = await Promise.all([
    db.tenant.findUnique({ where: { id: input.tenantId }, select: { name: true, status: true } }),
    db.securityZone.findUnique({ where: { id: input.zoneId }, select: { id: true, name: true } }),
    db.zoneGrant.findMany({ where: { tenantId: input.tenantId }, select: { zoneId: true } }),
    loadActiveRules(db as never),
    db.quota.findUnique({ where: { tenantId: input.tenantId } }),
    input.name
      ? db.environment.findUnique({ where: { tenantId_name: { tenantId: input.tenantId, name: input.name } }, select: { id: true } })
      : null,
  ]);
  const violations = checkEnvironmentRequest(
    {
      tenantId: input.tenantId,
      tenantName: tenant?.name ?? "",
      stage: input.stage,
      haLevel: input.haLevel,
      zoneId: input.zoneId,
      zoneName: zone?.name ?? "unknown zone",
      grantedZoneIds: grants.map((g) => g.zoneId),
    },
    rules,
  ).map((v) => ({ rule: v.rule, message: v.message }));
  if (tenant?.status === "suspended") violations.push({ rule: "tenant-active", message: `Tenant ${tenant.name} is suspended` });

  const f = environmentFootprint(input.stage, input.haLevel);
  const stageKey = { development: "DevelopmentEnvs", staging: "StagingEnvs", production: "ProductionEnvs" } as const;
  const q = quota as unknown as Record<string, number> | null;
  const lines = q
    ? [
        { what: `${input.stage} environments`, used: q[`used${stageKey[input.stage]}`]!, adds: 1, max: q[`max${stageKey[input.stage]}`]! },
        { what: "replicas", used: q.usedReplicas!, adds: f.replicas, max: q.maxReplicas! },
        { what: "cpu (millicores)", used: q.usedCpuMillis!, adds: f.cpuMillis, max: q.maxCpuMillis! },
        { what: "memory (MiB)", used: q.usedMemoryMiB!, adds: f.memoryMiB, max: q.maxMemoryMiB! },
      ]
    : [];
  const over = firstOverLine(lines);
  const tenantName = tenant?.name ?? "";
  const quotaExceeded = !q ? noQuotaSentence(tenantName) : over ? quotaRefusalSentence(tenantName, over) : null;

  const placement = zone ? await previewPlacement(ctx, input) : null;
  const nameTaken = !!taken;
  return {
    ok:
      !violations.length && !quotaExceeded && !nameTaken && !!placement && placement.unplaced.length === 0 && placement.decision !== "none",
    nameTaken,
    violations,
    quota: { footprint: f, lines, exceeded: quotaExceeded },
    placement,
  };
}

async function previewPlacement(ctx: ServiceCtx, input: PreviewInput) {
  const { db } = ctx;
  const choice = await chooseStateServer(db, {
    environmentId: "(preview)",
    tenantId: input.tenantId,
    stage: input.stage,
    haLevel: input.haLevel,
    zoneId: input.zoneId,
  });
  if (!choice.granted) {
    return {
      decision: "none" as const,
      stateServerName: null,
      tenancy: null,
      message: choice.placement.message,
      replicas: [],
      unplaced: [],
      rejectedServers: choice.placement.rejected.length,
    };
  }
  const loaded = await loadProblem(db);
  const hostName = (id: string) => loaded.hostName.get(id) ?? id;
  if (choice.placement.decision === "existing") {
    const serverId = choice.placement.stateServer;
    const replicas = loaded.placements
      .filter((p) => p.stateServer === serverId)
      .sort((a, b) => a.ordinal - b.ordinal)
      .map((p) => ({ ordinal: p.ordinal, hostName: hostName(p.host), failureDomain: loaded.hostDomain.get(p.host) ?? null }));
    const name = choice.names.get(serverId) ?? serverId;
    return {
      decision: "existing" as const,
      stateServerName: name,
      tenancy: null,
      message: `joins ${name}, which already runs ${replicas.length} replica(s)`,
      replicas,
      unplaced: [],
      rejectedServers: choice.placement.rejected.length,
    };
  }
  const spec = choice.placement.stateServer;
  const result = whatIf(loaded.problem, { kind: "addStateServer", stateServer: { ...spec, id: NEW_SERVER } });
  const mine = (s: string) => s === NEW_SERVER;
  return {
    decision: "new" as const,
    stateServerName: null,
    tenancy: spec.isolation,
    message: choice.placement.message,
    replicas: result.added
      .filter((p) => mine(p.stateServer))
      .sort((a, b) => a.ordinal - b.ordinal)
      .map((p) => ({ ordinal: p.ordinal, hostName: hostName(p.host), failureDomain: loaded.hostDomain.get(p.host) ?? null })),
    unplaced: result.result.unplaced.filter((u) => mine(u.stateServer)).map((u) => ({ ordinal: u.ordinal, message: u.message })),
    rejectedServers: choice.placement.rejected.length,
  };
}
