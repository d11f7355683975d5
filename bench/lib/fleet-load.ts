import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import path from "node:path";
import { PROJECT_DIR } from "../../server/testing/process-fleet";
import { DIST_DIR, NEXT, pct, round, SECONDS, sleep, WARMUP_S } from "./fleet-settings";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** A production build in distDir newer than every source it is built from. */
export function buildIsFresh(distDir: string) {
  const buildId = path.join(PROJECT_DIR, distDir, "BUILD_ID");
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const newest = Math.max(
    ...["app", "components", "server", "prisma"].map((d) => newestMtime(path.join(PROJECT_DIR, d))),
    statSync(path.join(PROJECT_DIR, "next.config.mjs")).mtimeMs,
  );
  return builtAt > newest;
}

/** Builds into DIST_DIR when it is missing or older than the sources; the files next build rewrites for its distDir (next-env.d.ts, tsconfig.json) are put back as they were. */
export function ensureBenchBuild() {
  if (buildIsFresh(DIST_DIR)) return;
  const rewritten = ["next-env.d.ts", "tsconfig.json"]
    .map((f) => path.join(PROJECT_DIR, f))
    .map((file) => ({ file, text: existsSync(file) ? readFileSync(file, "utf8") : null }));
  console.log(`building the app into ${DIST_DIR} (next build)…`);
  const result = spawnSync(NEXT, ["build"], {
    cwd: PROJECT_DIR,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", STATEHOUSE_NEXT_DIST_DIR: DIST_DIR },
  });
  for (const { file, text } of rewritten) if (text !== null && readFileSync(file, "utf8") !== text) writeFileSync(file, text);
  if (result.status !== 0) throw new Error("next build failed");
}

/** CPU seconds used so far by every process of a process group (the app: next-server and any worker). */
export function groupCpuSeconds(pgid: number): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / 100;
}

export interface Load {
  p50: number;
  p99: number;
  max: number;
  requests: number;
  errors: number;
  errorRate: number;
  /** Requests sent per second (the schedule) and answered per second within the measured window. */
  rps: number;
  answeredRps: number;
  /** CPU milliseconds per request: the app's process group, and this load generator. */
  appCpuMsPerRequest: number;
  clientCpuMsPerRequest: number;
}

/**
 * N simulated agents at 1 Hz: agent i beats at phase i/N of every second (an
 * open schedule: a slow answer does not thin the load, it shows as latency),
 * over one keep-alive socket pool, so the generator itself stays cheap.
 */
export async function load(appPid: number, send: (agent: number, sockets: Agent) => Promise<number>, n: number): Promise<Load> {
  const sockets = new Agent({ keepAlive: true, maxSockets: 64, keepAliveMsecs: 10_000 });
  const latencies: number[] = [];
  let answered = 0;
  let errors = 0;
  const t0 = performance.now() + 50;
  const measureFrom = t0 + WARMUP_S * 1000;
  const end = t0 + SECONDS * 1000;
  let cpuApp = 0;
  let cpuClient = process.cpuUsage();
  const inFlight: Promise<void>[] = [];
  // One timer walks the schedule (not one timer per agent): beat b is agent b % n in second b / n, at phase (b % n) / n.
  let next = 0;
  let marked = false;
  let done = false;
  while (!done) {
    const now = performance.now();
    if (!marked && now >= measureFrom) {
      marked = true;
      cpuApp = groupCpuSeconds(appPid);
      cpuClient = process.cpuUsage();
    }
    for (;;) {
      const agent = next % n;
      const at = t0 + Math.floor(next / n) * 1000 + (agent / n) * 1000;
      if (at >= end) done = true;
      if (done || at > now) break;
      next++;
      const start = performance.now();
      const counted = at >= measureFrom;
      inFlight.push(
        send(agent, sockets).then(
          (status) => {
            const finished = performance.now();
            if (finished >= measureFrom && finished < end) answered++;
            if (!counted) return;
            latencies.push(finished - start);
            if (status !== 200) errors++;
          },
          () => {
            if (counted) errors++;
          },
        ),
      );
    }
    if (inFlight.length > 5000) inFlight.splice(0, inFlight.length - 5000);
    await sleep(1);
  }
  await Promise.all(inFlight);
  const appCpu = groupCpuSeconds(appPid) - cpuApp;
  const clientCpu = process.cpuUsage(cpuClient);
  sockets.destroy();
  const measured = SECONDS - WARMUP_S;
  return {
    p50: round(pct(latencies, 50)),
    p99: round(pct(latencies, 99)),
    max: round(Math.max(...latencies)),
    requests: latencies.length,
    errors,
    errorRate: latencies.length ? errors / latencies.length : 1,
    rps: round(latencies.length / measured),
    answeredRps: round(answered / measured),
    appCpuMsPerRequest: Math.round((appCpu * 1000 * 1000) / Math.max(1, latencies.length)) / 1000,
    clientCpuMsPerRequest: Math.round(((clientCpu.user + clientCpu.system) / 1000 / Math.max(1, latencies.length)) * 1000) / 1000,
  };
}

export function call(
  base: URL,
  method: "GET" | "POST",
  route: string,
  sockets: Agent,
  headers: Record<string, string> = {},
  body?: string,
) {
  return new Promise<number>((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        path: route,
        method,
        agent: sockets,
        headers: body ? { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) } : headers,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(body);
  });
}

/** Requests that failed at a rate the server is meant to sustain (next start above LOWER_AGENTS is saturated by design). */
export function loadFailures(n: number, server: string, saturates: boolean, m: { health: Load; heartbeat: Load }): string[] {
  const out: string[] = [];
  if (m.health.errors) out.push(`${server}, ${n} agents: ${m.health.errors} of ${m.health.requests} health requests failed`);
  if (m.heartbeat.errors && !saturates)
    out.push(`${server}, ${n} agents: ${m.heartbeat.errors} of ${m.heartbeat.requests} heartbeats failed`);
  if (!m.heartbeat.requests) out.push(`${server}, ${n} agents: no heartbeat measured`);
  return out;
}

/** Runs the benchmark; returns the wrong answers found (empty: all right). */
