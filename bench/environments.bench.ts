import pg from "pg";
import { machineInfo } from "./lib/machine";
import { writeBenchResult } from "./lib/results";

/**
 * `npm run bench:environments`: environment create -> every replica running,
 * through the real path: the tRPC procedure (in-process), a real controller
 * process, three real host agents and real state-server replica processes,
 * on a fresh database. Two series of `n` creations (50; `--short`: 10):
 *  - cold: each creation needs a NEW state server (the previous environment is
 *    removed once running, which removes its emptied server), stages cycling
 *    development HA 1, staging HA 1, production HA 3;
 *  - warm: creations that join an existing shared server (the common
 *    self-service case).
 * The same-run bound is the time one replica process takes from spawn to
 * listening (the floor of the cold path), so the result is a ratio.
 * A creation that fails or is not running within 60 s fails the run (exit 1);
 * time targets are reported. `--short` writes to bench/results/short/.
 */
process.env.STATEHOUSE_RECONCILE_MS ??= "500";
process.env.STATEHOUSE_HEARTBEAT_MS ??= "500";
const short = process.argv.includes("--short");
const N = short ? 10 : 50;
// Any free port: a fixed one in the ephemeral range was taken now and then by another process's connection (EADDRINUSE).
const AGENT_API_PORT = 0;

const { seedDemo } = await import("../prisma/seed");
const { createPrismaClient } = await import("../server/db/client");
const { migrate } = await import("../server/db/migrate");
const { joinTokens } = await import("../server/testing/runtime-fixtures");
const { serveAgentApi } = await import("../server/agent-api/http-server");
const { ProcessFleet, until } = await import("../server/testing/process-fleet");
const { callerAs } = await import("../server/testing/callers");
const { databaseUrl, ensureTestPostgres } = await import("../server/testing/postgres");
const { startBareCluster } = await import("./lib/bare-etcd");

const pgServer = await ensureTestPostgres((m) => console.error(m));
const dbName = `statehouse_bench_env_${process.pid}`;
const admin = new pg.Client({ connectionString: pgServer.url });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const url = databaseUrl(pgServer.url, dbName);
await migrate(url);
const db = createPrismaClient(url, 6);
await seedDemo(db);
const acme = await db.tenant.findUniqueOrThrow({ where: { slug: "acme" } });
const zone = await db.securityZone.findUniqueOrThrow({ where: { name: "shared-east" } });
await db.quota.update({
  where: { tenantId: acme.id },
  data: {
    maxDevelopmentEnvs: 1000,
    maxStagingEnvs: 1000,
    maxProductionEnvs: 1000,
    maxReplicas: 10_000,
    maxCpuMillis: 10_000_000,
    maxMemoryMiB: 10_000_000,
  },
});
const api = await serveAgentApi(db, AGENT_API_PORT);
const fleet = new ProcessFleet({
  DATABASE_URL: url,
  LOG_LEVEL: "warn",
  STATEHOUSE_RECONCILE_MS: process.env.STATEHOUSE_RECONCILE_MS!,
  STATEHOUSE_HEARTBEAT_MS: process.env.STATEHOUSE_HEARTBEAT_MS!,
});
const cleanup = async () => {
  fleet.killAll();
  await new Promise<void>((r) => api.close(() => r()));
  await db.$disconnect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
  await admin.end();
  await pgServer.stop();
};
process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const round = (x: number) => Math.round(x);

try {
  const tokens = await joinTokens(db, zone.id, 3);
  tokens.forEach((token, i) =>
    fleet.agent(`bench-host-${i + 1}`, {
      controller: api.url,
      token,
      failureDomain: `az-${i + 1}`,
      ports: `${48_000 + i * 300}-${48_299 + i * 300}`,
      cpu: 16_000,
      memory: 32_768,
    }),
  );
  fleet.controller("bench-ctl");
  await until("agents joined", async () => (await db.host.count()) === 3, 30_000);

  // Same-run bound: a bare one-member etcd started by hand, spawn -> first write.
  const boundSamples: number[] = [];
  for (let i = 0; i < 3; i++) {
    const bare = await startBareCluster(1);
    boundSamples.push(bare.startedMs);
    await bare.stop();
  }
  const bound = boundSamples.sort((a, b) => a - b)[1]!;

  const alice = await callerAs(db, "alice@acme.test");
  async function createAndWait(name: string, stage: "development" | "staging" | "production", haLevel: 1 | 3) {
    const t0 = performance.now();
    const env = await alice.environment.create({ tenantId: acme.id, name, stage, haLevel, zoneId: zone.id });
    for (;;) {
      const row = await db.environment.findUniqueOrThrow({
        where: { id: env.id },
        select: { status: true, stateServerId: true, statusReason: true },
      });
      if (row.status === "failed") throw new Error(`${name} failed: ${row.statusReason}`);
      if (row.status === "running" && row.stateServerId) {
        const running = await db.replica.count({ where: { stateServerId: row.stateServerId, state: "running" } });
        if (running >= haLevel) return { id: env.id, ms: performance.now() - t0 };
      }
      if (performance.now() - t0 > 60_000) throw new Error(`${name} not running after 60 s (${row.status})`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  const CYCLE = [
    ["development", 1],
    ["staging", 1],
    ["production", 3],
  ] as const;

  const cold: number[] = [];
  for (let i = 0; i < N; i++) {
    const [stage, ha] = CYCLE[i % 3]!;
    const { id, ms } = await createAndWait(`cold-${i}`, stage, ha);
    cold.push(ms);
    await alice.environment.remove({ id, confirmName: `cold-${i}` });
  }
  // Warm: the shared servers exist (one per stage), each creation joins one.
  for (const [stage, ha] of CYCLE) await createAndWait(`seed-${stage}`, stage, ha);
  const warm: number[] = [];
  for (let i = 0; i < N; i++) {
    const [stage, ha] = CYCLE[i % 3]!;
    warm.push((await createAndWait(`warm-${i}`, stage, ha)).ms);
  }

  const figure = (name: string, xs: number[], p: number, target: number) => {
    const value = round(percentile(xs, p));
    return {
      name,
      unit: "ms",
      target: `<= ${target} ms`,
      value,
      baseline: { name: "one replica process, spawn -> listening (same run)", ms: round(bound) },
      ratio: Math.round((value / bound) * 100) / 100,
      pass: value <= target,
    };
  };
  const result = {
    benchmark: "environments",
    command: `npm run bench:environments${short ? " -- --short" : ""}`,
    date: new Date().toISOString(),
    setup: {
      creations: N,
      path: "environment.create (tRPC, in-process) -> controller assigns a state server and places replicas -> agent heartbeat -> replica process starts -> reported running -> status running",
      controllerIntervalMs: Number(process.env.STATEHOUSE_RECONCILE_MS),
      heartbeatMs: Number(process.env.STATEHOUSE_HEARTBEAT_MS),
      agents: 3,
      stages: "cycling development HA 1, staging HA 1, production HA 3",
    },
    machine: machineInfo(),
    figures: [
      figure("create -> all replicas running, new state server (cold), p50", cold, 50, 3000),
      figure("create -> all replicas running, new state server (cold), p99", cold, 99, 10_000),
      figure("create -> all replicas running, joins a shared server (warm), p50", warm, 50, 3000),
      figure("create -> all replicas running, joins a shared server (warm), p99", warm, 99, 10_000),
    ],
    samples: { cold: cold.map(round), warm: warm.map(round), boundMs: boundSamples.map(round) },
  };
  const written = writeBenchResult("environments", result);
  for (const f of result.figures)
    console.log(
      `${f.name}: ${f.value} ms (target ${f.target}; ${f.ratio}x the replica start bound ${f.baseline.ms} ms)${f.pass ? "" : " MISSED"}`,
    );
  console.log(`${written} written`);
} finally {
  await cleanup();
}
