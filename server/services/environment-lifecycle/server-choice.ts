import { randomBytes } from "node:crypto";
import { type HaLevel, majorityOf, type Stage } from "../../core/model";
import { placeEnvironment, type EnvironmentPlacement, type StateServerCandidate } from "../../core/placement";
import { isolatesProduction, REPLICA_SIZE, requiresDedicatedProduction, type PolicyRule } from "../../core/policy";
import type { Db, Tx } from "../../db/client";
import { loadActiveRules } from "../policies";

/** A server younger than this that is still starting counts as healthy: a burst of creations shares it. */
const STARTUP_GRACE_MS = 120_000;
const MAX_ENVIRONMENTS_PER_SERVER = 50;

export interface ServerRequest {
  environmentId: string;
  tenantId: string;
  stage: Stage;
  haLevel: number;
  zoneId: string;
  /** A server the environment must not join (the one it is moving away from). */
  excludeServerId?: string | null;
}

export interface ServerChoice {
  placement: EnvironmentPlacement;
  /** Server names by id (for messages and the preview). */
  names: Map<string, string>;
  granted: boolean;
}

/**
 * Level 1 of placement for one environment: load the candidate servers (same
 * zone, same replica count: an environment's HA level is its server's) and ask
 * the pure engine whether it joins one of them or needs a new server.
 */
export async function chooseStateServer(db: Db | Tx, req: ServerRequest, rules?: PolicyRule[], now = Date.now()): Promise<ServerChoice> {
  rules ??= await loadActiveRules(db as Tx);
  const [grants, dedicatedZones, servers] = await Promise.all([
    db.zoneGrant.findMany({ where: { tenantId: req.tenantId }, select: { zoneId: true } }),
    db.securityZone.findMany({ where: { isolation: "dedicated" }, select: { id: true } }),
    db.stateServer.findMany({
      where: { zoneId: req.zoneId, replicas: req.haLevel, ...(req.excludeServerId ? { id: { not: req.excludeServerId } } : {}) },
      select: {
        id: true,
        name: true,
        tenantId: true,
        tenancy: true,
        stage: true,
        zoneId: true,
        replicas: true,
        cpuMillis: true,
        memoryMiB: true,
        maxEnvironments: true,
        draining: true,
        createdAt: true,
        environments: { select: { tenantId: true, stage: true } },
        replicaRows: { select: { state: true, host: { select: { state: true } } } },
      },
    }),
  ]);
  const candidates: StateServerCandidate[] = servers.map((s) => {
    const live = s.replicaRows.filter((r) => r.host && r.host.state !== "down");
    const running = live.filter((r) => r.state === "running").length;
    const young = now - s.createdAt.getTime() < STARTUP_GRACE_MS && !live.some((r) => r.state === "failed");
    return {
      id: s.id,
      tenant: s.tenantId ?? "shared",
      zone: s.zoneId,
      isolation: s.tenancy,
      ...(s.stage ? { stage: s.stage } : {}),
      replicas: s.replicas,
      runningReplicas: young ? Math.max(running, majorityOf(s.replicas)) : running,
      draining: s.draining,
      environments: s.environments.length,
      residents: s.environments.map((e) => ({ tenant: e.tenantId, stage: e.stage })),
      maxEnvironments: s.maxEnvironments,
      cpuMillis: s.cpuMillis,
      memoryMiB: s.memoryMiB,
      usedCpuMillis: 0,
      usedMemoryMiB: 0,
    };
  });
  const ha = req.haLevel as HaLevel;
  const size = (stage: Stage) => ({ ...REPLICA_SIZE[stage], maxEnvironments: MAX_ENVIRONMENTS_PER_SERVER });
  const granted = grants.some((g) => g.zoneId === req.zoneId);
  const placement = placeEnvironment({ id: req.environmentId, tenant: req.tenantId, stage: req.stage, zones: [req.zoneId] }, candidates, {
    zoneGrants: { [req.tenantId]: grants.map((g) => g.zoneId) },
    minReplicas: { development: ha, staging: ha, production: ha },
    dedicatedForProduction: requiresDedicatedProduction(rules),
    dedicatedZones: dedicatedZones.map((z) => z.id),
    productionIsolation: isolatesProduction(rules),
    serverSize: { development: size("development"), staging: size("staging"), production: size("production") },
  });
  return { placement, names: new Map(servers.map((s) => [s.id, s.name])), granted };
}

export interface NewServerSpec {
  tenantId: string;
  stage: Stage;
  replicas: number;
  zoneId: string;
  tenancy: "shared" | "dedicated";
}

/** Creates a state server row; the reconciler places and starts its replicas. */
export async function createStateServer(tx: Tx, spec: NewServerSpec) {
  const zone = await tx.securityZone.findUniqueOrThrow({ where: { id: spec.zoneId }, select: { name: true } });
  const name = `${zone.name}-${spec.stage}-${spec.tenancy === "dedicated" ? "ded" : "shr"}-${randomBytes(3).toString("hex")}`;
  return tx.stateServer.create({
    data: {
      name,
      zoneId: spec.zoneId,
      tenancy: spec.tenancy,
      tenantId: spec.tenancy === "dedicated" ? spec.tenantId : null,
      stage: spec.stage,
      replicas: spec.replicas,
      cpuMillis: REPLICA_SIZE[spec.stage].cpuMillis,
      memoryMiB: REPLICA_SIZE[spec.stage].memoryMiB,
      maxEnvironments: spec.tenancy === "dedicated" ? 10 : MAX_ENVIRONMENTS_PER_SERVER,
      spread: spec.replicas > 1 ? "required" : "preferred",
    },
    select: { id: true, name: true },
  });
}
