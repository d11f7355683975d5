/**
 * `npx tsx bench/agent-heartbeat.bench.ts [--short]`: are heartbeats from busy
 * but live agents on time? Three real agents, each running one member of a
 * real 3-member etcd cluster, beat every second to a test controller (the two
 * agent endpoints, in this process). Gaps between arrivals are measured idle,
 * then with both cores saturated by two busy loops at normal priority. The
 * baseline is the idle phase of the same run. A host is declared down when no
 * beat arrived for MISSED_HEARTBEATS x interval: the figures count the gaps
 * that would have crossed 3 s (the old rule) and the current rule.
 *
 * `--agent-api`: the agents join and beat through the real agent API (Postgres,
 * in this process) instead; a beat counts when its answer is complete.
 */
import { saturateCores } from "../server/testing/cpu-load";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { rmSync } from "node:fs";
import os from "node:os";
import { HEARTBEAT_INTERVAL_MS, MISSED_HEARTBEATS } from "../server/services/runtime/settings";
import { bootstrapMembers, FakeController, freePorts } from "../server/testing/fake-controller";
import { ProcessFleet, until } from "../server/testing/process-fleet";
import { machineInfo } from "./lib/machine";
import { writeBenchResult } from "./lib/results";

const short = process.argv.includes("--short");
const viaAgentApi = process.argv.includes("--agent-api");
const PHASE_MS = short ? 15_000 : 40_000;
const AGENTS = ["hb-a", "hb-b", "hb-c"];
const loadBefore = os.loadavg();

const controller = await new FakeController(1000).start();
const fleet = new ProcessFleet({ ETCD_BCRYPT_COST: "4" });
const members = bootstrapMembers(["hb-m-a", "hb-m-b", "hb-m-c"], await freePorts(6), `hb-${process.pid}`);
AGENTS.forEach((a, i) => controller.desired.set(a, [members[i]!]));
/** Beat arrival times per agent credential (agent API mode). */
const arrivals = new Map<string, number[]>();
const cleanups: (() => Promise<unknown>)[] = [];

/** The real agent API on a fresh database, behind a proxy that notes when each heartbeat's answer is complete. */
async function agentApi(): Promise<{ url: string; tokens: string[] }> {
  const { ensureTestPostgres, databaseUrl } = await import("../server/testing/postgres");
  const { migrate } = await import("../server/db/migrate");
  const { createPrismaClient } = await import("../server/db/client");
  const { createWorld, joinTokens } = await import("../server/testing/runtime-fixtures");
  const { serveAgentApi } = await import("../server/agent-api/http-server");
  const server = await ensureTestPostgres();
  const dbName = `statehouse_bench_hb_${process.pid}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = databaseUrl(server.url, dbName);
  await migrate(url);
  const db = createPrismaClient(url, 4);
  const world = await createWorld(db, { zoneName: "hb", tenantSlug: "hb", servers: [] });
  const api = await serveAgentApi(db, 0);
  const apiPort = (api.address() as AddressInfo).port;
  const proxy = createServer((req, res) => {
    const upstream = httpRequest(
      { host: "127.0.0.1", port: apiPort, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on("end", () => {
          if (req.url !== "/api/agent/heartbeat" || answer.statusCode !== 200) return;
          const key = req.headers.authorization ?? "";
          arrivals.set(key, [...(arrivals.get(key) ?? []), Date.now()]);
        });
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  cleanups.push(async () => {
    await new Promise((r) => proxy.close(r));
    await new Promise((r) => api.close(r));
    await db.$disconnect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, tokens: await joinTokens(db, world.zoneId, AGENTS.length) };
}

const target = viaAgentApi ? await agentApi() : { url: controller.url, tokens: AGENTS.map((a) => `join-token-${a}`) };
AGENTS.forEach((a, i) =>
  fleet.agent(a, { controller: target.url, token: target.tokens[i], failureDomain: `az-${i}`, ports: "42000-42099" }),
);

function gaps(from: number, to: number): number[] {
  const out: number[] = [];
  const series = viaAgentApi ? [...arrivals.values()] : [...controller.hosts.values()].map((h) => h.beats);
  for (const all of series) {
    const beats = all.filter((t) => t >= from && t <= to);
    for (let i = 1; i < beats.length; i++) out.push(beats[i]! - beats[i - 1]!);
    // The silence at the end of the phase counts too (a host that stopped beating has no next arrival).
    if (beats.length) out.push(to - beats[beats.length - 1]!);
  }
  return out.sort((a, b) => a - b);
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const summary = (xs: number[]) => ({
  beats: xs.length,
  p50: pct(xs, 50),
  p90: pct(xs, 90),
  p99: pct(xs, 99),
  max: xs[xs.length - 1] ?? NaN,
  over3s: xs.filter((g) => g > 3000).length,
  overCurrentRule: xs.filter((g) => g > MISSED_HEARTBEATS * HEARTBEAT_INTERVAL_MS).length,
});

let load: ReturnType<typeof saturateCores> | undefined;
try {
  // Through the agent API the agents get no members (the controller side of etcd is not there yet): beats only.
  await until(
    viaAgentApi ? "three agents beating" : "three running members",
    async () =>
      viaAgentApi ? arrivals.size === AGENTS.length : AGENTS.every((a, i) => controller.member(a, members[i]!.id)?.state === "running"),
    60_000,
  );
  const idleFrom = Date.now();
  await new Promise((r) => setTimeout(r, PHASE_MS));
  const idleTo = Date.now();
  load = saturateCores(2);
  await new Promise((r) => setTimeout(r, PHASE_MS));
  const busyTo = Date.now();
  load.stop();
  load = undefined;
  const stillRunning = AGENTS.filter((a, i) => controller.member(a, members[i]!.id)?.state === "running").length;

  const idle = summary(gaps(idleFrom, idleTo));
  const loaded = summary(gaps(idleTo, busyTo));
  const result = {
    benchmark: "agent-heartbeat",
    command: `npx tsx bench/agent-heartbeat.bench.ts ${process.argv.slice(2).join(" ")}`.trim(),
    date: new Date().toISOString(),
    machine: { ...machineInfo(), loadAverageBefore: loadBefore, loadAverageAfter: os.loadavg() },
    baseline: "idle phase of the same run (same agents, members and controller, no busy loops)",
    setup: `${viaAgentApi ? "real agent API + Postgres; 3 agents, no members" : "test controller; 3 agents x 1 etcd member (one 3-member cluster)"}, heartbeat every ${HEARTBEAT_INTERVAL_MS} ms, ${PHASE_MS / 1000} s per phase; busy phase: 2 x node -e 'for(;;){}' at normal priority`,
    rule: `down after ${MISSED_HEARTBEATS} missed heartbeats = ${MISSED_HEARTBEATS * HEARTBEAT_INTERVAL_MS} ms of silence`,
    idle,
    busy: loaded,
    ratios: { p50: loaded.p50 / idle.p50, p99: loaded.p99 / idle.p99, max: loaded.max / idle.max },
    ...(viaAgentApi ? {} : { membersRunningAfterBusyPhase: stillRunning }),
  };
  console.log(JSON.stringify(result, null, 1));
  console.log(`wrote ${writeBenchResult(viaAgentApi ? "agent-heartbeat-agent-api" : "agent-heartbeat", result)}`);
} finally {
  load?.stop();
  await fleet.stopAll();
  fleet.killAll();
  await controller.close();
  for (const cleanup of cleanups) await cleanup();
  rmSync(fleet.stateDir, { recursive: true, force: true });
}
