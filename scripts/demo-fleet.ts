import { rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPrismaClient } from "../server/db/client";
import { createWorld, joinTokens } from "../server/testing/runtime-fixtures";
import { createJoinToken } from "../server/services/runtime/join-tokens";
import { ProcessFleet, PROJECT_DIR } from "../server/testing/process-fleet";

/**
 * The local demo fleet `npm start` runs next to the app: six host agents over
 * three failure domains and two zones, one of them a machine of a host-pool
 * environment, serving demo state servers (npm start runs the controllers,
 * supervised: scripts/start/supervise.ts). Ctrl-C (SIGTERM) stops the agents
 * and their replicas.
 * The agents talk to the agent API (`--agent-api`, the `npm run agent-api`
 * process) or, without it, to the app's own /api/agent routes (`--app`).
 * `tsx scripts/demo-fleet.ts --app http://127.0.0.1:3000 [--agent-api http://127.0.0.1:3001]`
 */
const { values } = parseArgs({
  options: {
    app: { type: "string", default: "http://127.0.0.1:3000" },
    "agent-api": { type: "string" },
  },
});
const agentApiUrl = values["agent-api"] ?? values.app;
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("DATABASE_URL is not set");
  process.exit(2);
}
const log = (m: string) => console.log(`[fleet] ${m}`);
const stateDir = path.join(PROJECT_DIR, ".data", "demo-agents");
const HOSTS = [
  { name: "demo-east-1a", zone: "shared-east", fd: "az-1" },
  { name: "demo-east-2a", zone: "shared-east", fd: "az-2" },
  { name: "demo-east-3a", zone: "shared-east", fd: "az-3" },
  { name: "demo-east-1b", zone: "shared-east", fd: "az-1" },
  { name: "demo-pool-2b", zone: "shared-east", fd: "az-2", pool: true },
  { name: "demo-control-3b", zone: "control", fd: "az-3" },
];

const fleet = new ProcessFleet(
  { DATABASE_URL: databaseUrl, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
  process.env.FLEET_ECHO === "1",
  stateDir,
);

async function prepare() {
  const db = createPrismaClient(databaseUrl!, 2);
  try {
    if (!(await db.stateServer.findUnique({ where: { name: "demo-shared-east" } }))) {
      await createWorld(db, {
        zoneName: "shared-east",
        tenantSlug: "acme",
        servers: [
          {
            name: "demo-shared-east",
            replicas: 3,
            environments: [
              { name: "demo-staging", stage: "staging" },
              { name: "demo-dev", stage: "development" },
            ],
          },
          { name: "demo-prod-east", replicas: 3, environments: [{ name: "demo-production", stage: "production" }] },
          { name: "demo-pool-server", replicas: 1, environments: [{ name: "demo-host-pool", stage: "development", isHostPool: true }] },
        ],
      });
      await createWorld(db, {
        zoneName: "control",
        tenantSlug: "globex",
        servers: [{ name: "demo-control", replicas: 1, environments: [{ name: "demo-platform", stage: "production" }] }],
      });
      log("created the demo state servers and environments");
    }
    const pool = await db.environment.findFirstOrThrow({ where: { name: "demo-host-pool" }, select: { id: true } });
    const zones = new Map((await db.securityZone.findMany({ select: { id: true, name: true } })).map((z) => [z.name, z.id]));
    const plans = [];
    for (const [i, h] of HOSTS.entries()) {
      const known = await db.host.findUnique({ where: { name: h.name }, select: { id: true, credentialRevokedAt: true } });
      let token: string | undefined;
      let environmentToken: string | undefined;
      if (!known) {
        // A fresh database: forget any credential from an earlier one.
        rmSync(path.join(stateDir, `${h.name}.json`), { force: true });
        if (h.pool)
          environmentToken = (
            await db.$transaction((tx) =>
              createJoinToken(tx, { zoneId: zones.get(h.zone)!, environmentId: pool.id, ttl: 600, actorLabel: "demo fleet" }),
            )
          ).token;
        else token = (await joinTokens(db, zones.get(h.zone)!, 1))[0];
      }
      plans.push({ h, token, environmentToken, ports: `${26_000 + i * 100}-${26_099 + i * 100}` });
    }
    return plans;
  } finally {
    await db.$disconnect();
  }
}

const plans = await prepare();
for (const p of plans) {
  fleet.agent(p.h.name, {
    controller: agentApiUrl,
    token: p.token,
    environmentToken: p.environmentToken,
    failureDomain: p.h.fd,
    ports: p.ports,
    cpu: 4000,
    memory: 8192,
  });
}
log(`${plans.length} demo agents started against ${agentApiUrl} (state in ${stateDir})`);

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log("stopping the demo fleet");
    void fleet.stopAll().finally(() => process.exit(0));
  });
}
