import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import path from "node:path";
import pg from "pg";
import { hashSecret, newSecret } from "../server/auth/password";
import { createPrismaClient } from "../server/db/client";
import { ensureDatabase, migrate } from "../server/db/migrate";
import { createWorld, joinTokens } from "../server/services/runtime/fixtures";
import { serveAgentApi } from "../server/services/runtime/http-server";
import { ProcessFleet, PROJECT_DIR, until } from "../server/services/runtime/test-fleet";
import { databaseUrl, ensureTestPostgres } from "../server/testing/postgres";
import { machineInfo, median } from "./lib/machine";

/**
 * `npm run bench:fleet` (`--short` for CI):
 * 1. 1,000 simulated agents (one process, keep-alive HTTP) heartbeat at 1 Hz
 *    against the built app (`next start` on 3202): p50/p99 latency, error rate.
 *    Peer in the same run: the same handlers on a bare node:http server.
 * 2. Host loss with the real demo fleet (6 agents, controller, real replicas):
 *    kill -9 of an agent's process group -> every affected replica running on
 *    another host; p50/p99 over 20 trials. Bound: detection alone (3 missed
 *    heartbeats = 3 s).
 */
const SHORT = process.argv.includes("--short");
/** Only the heartbeat load, nothing written (for tuning the hot path). */
const HEARTBEAT_ONLY = process.argv.includes("--heartbeat-only");
const AGENTS = 1000;
const SECONDS = SHORT ? 8 : 20;
const TRIALS = SHORT ? 5 : 20;
const APP_PORT = 3202;
const PEER_PORT = 41_290;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const round = (x: number) => Math.round(x * 10) / 10;

async function heartbeatLoad(baseUrl: string, credentials: string[]) {
  const body = JSON.stringify({ cpuMillis: 4000, memoryMiB: 8192, replicas: [] });
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(`${baseUrl}/api/agent/heartbeat`);
  const post = (credential: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        { host: target.hostname, port: target.port, path: target.pathname, method: "POST", agent, headers: { authorization: `Bearer ${credential}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
      req.on("error", reject);
      req.end(body);
    });
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + SECONDS * 1000;
  const warmup = Date.now() + 2000;
  await Promise.all(
    credentials.map(async (credential, i) => {
      await new Promise((r) => setTimeout(r, (i / credentials.length) * 1000));
      while (Date.now() < end) {
        const t0 = performance.now();
        try {
          const status = await post(credential);
          if (Date.now() > warmup) {
            latencies.push(performance.now() - t0);
            if (status !== 200) errors++;
          }
        } catch {
          if (Date.now() > warmup) errors++;
        }
        const wait = 1000 - (performance.now() - t0);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }),
  );
  agent.destroy();
  return { p50: round(pct(latencies, 50)), p99: round(pct(latencies, 99)), requests: latencies.length, errors, errorRate: latencies.length ? errors / latencies.length : 1, rps: round(latencies.length / (SECONDS - 2)) };
}

async function main() {
  const server = await ensureTestPostgres(console.log);
  const url = databaseUrl(server.url, `statehouse_bench_fleet_${randomBytes(3).toString("hex")}`);
  await ensureDatabase(url);
  await migrate(url);
  const db = createPrismaClient(url, 10);
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    // Part 1: 1,000 hosts (credentials written directly: joining is not what is measured).
    const zone = await db.securityZone.create({ data: { name: "bench" } });
    const credentials = Array.from({ length: AGENTS }, () => newSecret("host"));
    await db.host.createMany({
      data: credentials.map((c, i) => ({ name: `sim-${i}`, zoneId: zone.id, failureDomain: `az-${i % 3}`, cpuMillis: 4000, memoryMiB: 8192, credentialHash: hashSecret(c), lastHeartbeatAt: new Date() })),
    });
    if (!existsSync(path.join(PROJECT_DIR, ".next", "BUILD_ID"))) spawnSync(path.join(PROJECT_DIR, "node_modules", ".bin", "next"), ["build"], { cwd: PROJECT_DIR, stdio: "inherit" });
    const app = spawn(path.join(PROJECT_DIR, "node_modules", ".bin", "next"), ["start", "-p", String(APP_PORT), "-H", "127.0.0.1"], {
      cwd: PROJECT_DIR,
      env: { ...process.env, DATABASE_URL: url, NODE_ENV: "production", LOG_LEVEL: "warn" },
      stdio: "ignore",
      detached: true,
    });
    cleanups.push(() => {
      try {
        process.kill(-app.pid!, "SIGTERM");
      } catch {
        // gone
      }
    });
    const appUrl = `http://127.0.0.1:${APP_PORT}`;
    await until("app healthy", async () => (await fetch(`${appUrl}/api/health`)).ok, 60_000, 300);
    console.log(`heartbeat load: ${AGENTS} agents at 1 Hz for ${SECONDS} s against ${appUrl}`);
    const viaApp = await heartbeatLoad(appUrl, credentials);
    console.log("  app:", viaApp);
    const hot = new pg.Pool({ connectionString: url, max: 8 });
    const peer = await serveAgentApi(db, PEER_PORT, "127.0.0.1", hot);
    cleanups.push(() => void peer.close());
    cleanups.push(() => hot.end());
    const viaPeer = await heartbeatLoad(peer.url, credentials);
    console.log("  bare node:http peer:", viaPeer);
    await db.host.deleteMany({ where: { zoneId: zone.id } });
    if (HEARTBEAT_ONLY) return;

    // Part 2: host loss with the real demo fleet, through the app.
    const world = await createWorld(db, {
      zoneName: "shared-east",
      tenantSlug: "bench",
      servers: [
        { name: "b-ha3-a", replicas: 3, environments: [{ name: "prod-a", stage: "production" }] },
        { name: "b-ha3-b", replicas: 3, environments: [{ name: "prod-b", stage: "production" }] },
        { name: "b-ha1", replicas: 1, environments: [{ name: "dev", stage: "development" }] },
      ],
    });
    const fleet = new ProcessFleet({ DATABASE_URL: url, LOG_LEVEL: "warn" });
    cleanups.push(() => fleet.killAll());
    const names = ["fleet-1a", "fleet-2a", "fleet-3a", "fleet-1b", "fleet-2b", "fleet-3b"];
    const tokens = await joinTokens(db, world.zoneId, names.length);
    const ports = (i: number) => `${42_100 + i * 100}-${42_199 + i * 100}`;
    const fd = (name: string) => `az-${name[6]}`;
    names.forEach((n, i) => fleet.agent(n, { controller: appUrl, token: tokens[i], failureDomain: fd(n), ports: ports(i) }));
    fleet.controller("bench-controller");
    const running = () => db.replica.count({ where: { state: "running", host: { state: "ready" } } });
    await until("demo fleet running", async () => (await running()) === 7, 60_000, 200);
    const times: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const withReplicas = await db.host.findMany({ where: { state: "ready", replicas: { some: { state: "running" } } }, select: { id: true, name: true }, orderBy: { name: "asc" } });
      const victim = withReplicas[trial % withReplicas.length]!;
      const affected = await db.replica.findMany({ where: { hostId: victim.id }, select: { stateServerId: true, ordinal: true } });
      const t0 = Date.now();
      fleet.kill9(`agent:${victim.name}`);
      await until(
        "affected replicas running elsewhere",
        async () => {
          const rows = await db.replica.findMany({
            where: { OR: affected.map((a) => ({ stateServerId: a.stateServerId, ordinal: a.ordinal })), state: "running", hostId: { not: victim.id } },
            select: { stateServerId: true, ordinal: true },
          });
          return new Set(rows.map((r) => `${r.stateServerId}#${r.ordinal}`)).size === affected.length;
        },
        30_000,
        50,
      );
      times.push(Date.now() - t0);
      console.log(`  trial ${trial + 1}: ${victim.name} (${affected.length} replicas) -> running elsewhere in ${times.at(-1)} ms`);
      // Bring the host back (its state file holds the credential) and wait for it to be ready again.
      fleet.agent(victim.name, { controller: appUrl, failureDomain: fd(victim.name), ports: ports(names.indexOf(victim.name)) });
      await until("host back", async () => (await db.host.findUniqueOrThrow({ where: { id: victim.id } })).state === "ready", 20_000, 200);
      await until("fleet converged", async () => (await running()) === 7, 20_000, 200);
    }
    const p50 = median(times);
    const p99 = pct(times, 99);
    const result = {
      benchmark: "fleet",
      command: `npm run bench:fleet${SHORT ? " -- --short" : ""}`,
      date: new Date().toISOString(),
      machine: machineInfo(),
      figures: [
        { name: `heartbeat p50 (${AGENTS} agents at 1 Hz, next start)`, unit: "ms", value: viaApp.p50, baseline: { name: "same handlers on bare node:http", ms: viaPeer.p50 }, ratio: round(viaApp.p50 / viaPeer.p50) },
        { name: `heartbeat p99 (${AGENTS} agents at 1 Hz, next start)`, unit: "ms", target: "<= 50 ms", value: viaApp.p99, baseline: { name: "same handlers on bare node:http", ms: viaPeer.p99 }, ratio: round(viaApp.p99 / viaPeer.p99), pass: viaApp.p99 <= 50 },
        { name: "heartbeat error rate", unit: "%", target: "0", value: round(viaApp.errorRate * 100), baseline: { name: "requests", n: viaApp.requests, rps: viaApp.rps }, pass: viaApp.errors === 0 },
        { name: `host loss -> replicas running elsewhere, p50 (${TRIALS} trials, real fleet)`, unit: "ms", value: p50, baseline: { name: "bound: detection alone (3 missed heartbeats)", ms: 3000 }, ratio: round(p50 / 3000) },
        { name: `host loss -> replicas running elsewhere, p99 (${TRIALS} trials, real fleet)`, unit: "ms", target: "<= 10000 ms", value: p99, baseline: { name: "bound: detection alone (3 missed heartbeats)", ms: 3000 }, ratio: round(p99 / 3000), pass: p99 <= 10_000 },
      ],
      samples: { hostLossMs: times, heartbeatApp: viaApp, heartbeatPeer: viaPeer },
    };
    mkdirSync(path.join(PROJECT_DIR, "bench", "results"), { recursive: true });
    writeFileSync(path.join(PROJECT_DIR, "bench", "results", "fleet.json"), `${JSON.stringify(result, null, 1)}\n`);
    console.log(JSON.stringify(result.figures, null, 1));
    await fleet.stopAll();
  } finally {
    for (const c of cleanups.reverse()) await c();
    await db.$disconnect();
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await server.stop();
  }
}

await main();
process.exit(0);
