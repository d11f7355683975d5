import os from "node:os";
import autocannon from "autocannon";
import { cpuMs, machineJiffies, otherBenchmarks } from "./app-server";
import type { Endpoint, Tally } from "./api-endpoints";
import { BASE, CONNECTIONS, round, SECONDS, SHORT, WARMUP_SECONDS } from "./api-settings";
import { nativeLoad } from "./native-load";

const REFUSALS = new Set(["QUOTA_EXCEEDED", "CONFLICT"]);

/** Answers judged on status, headers and byte count, with the native client. */
async function loadBig(e: Endpoint, seconds: number, tally: Tally, base: string) {
  const r = e.request(0, 0);
  return nativeLoad({
    url: base,
    path: r.path,
    headers: { ...(r.token ? { authorization: `Bearer ${r.token}` } : {}), ...r.headers },
    connections: CONNECTIONS,
    seconds,
    onResponse: (status, headers, bytes) => {
      if (status !== 200) {
        tally.errors[`HTTP ${status}`] = (tally.errors[`HTTP ${status}`] ?? 0) + 1;
        return;
      }
      const verdict =
        bytes !== Number(headers["content-length"])
          ? `${bytes} bytes received of ${headers["content-length"]}`
          : e.check(0, null, r, headers as Record<string, string>);
      if (verdict === true) tally.ok++;
      else {
        tally.wrong++;
        tally.firstWrong ??= verdict;
      }
    },
  });
}

async function load(e: Endpoint, seconds: number, tally: Tally, base = BASE, connections = CONNECTIONS) {
  if (e.bigBody) return loadBig(e, seconds, tally, base);
  let nextClient = 0;
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        setupRequest: (req, context) => {
          const ctx = context as { client?: number; n?: number; sent?: { path: string; body?: string } };
          ctx.client ??= nextClient++;
          ctx.n = (ctx.n ?? 0) + 1;
          const r = e.request(ctx.client, ctx.n);
          ctx.sent = { path: r.path, body: r.body };
          return {
            ...req,
            method: r.method,
            path: r.path,
            headers: {
              ...(r.token ? { authorization: `Bearer ${r.token}` } : {}),
              ...(r.body ? { "content-type": "application/json" } : {}),
              ...r.headers,
            },
            ...(r.body ? { body: r.body } : {}),
          };
        },
        onResponse: (status, body, context, headers) => {
          const ctx = context as { client: number; n: number; sent: { path: string; body?: string } };
          if (status !== 200) {
            let code = `HTTP ${status}`;
            try {
              code = (JSON.parse(body) as { error: { json: { data: { appCode: string } } } }).error.json.data.appCode ?? code;
            } catch {
              // not a tRPC error body
            }
            const bucket = REFUSALS.has(code) ? tally.refused : tally.errors;
            bucket[code] = (bucket[code] ?? 0) + 1;
            return;
          }
          let verdict: true | string;
          try {
            verdict = e.check(ctx.client, JSON.parse(body), ctx.sent, (headers ?? {}) as Record<string, string>);
          } catch (error) {
            verdict = `unreadable answer: ${(error as Error).message}`;
          }
          if (verdict === true) tally.ok++;
          else {
            tally.wrong++;
            tally.firstWrong ??= verdict;
          }
        },
      },
    ],
  });
  return result;
}

export interface Measured {
  key: string;
  label: string;
  read: boolean;
  p50: number;
  p99: number;
  rps: number;
  requests: number;
  ok: number;
  errors: number;
  wrong: number;
  refused: Record<string, number>;
  errorsBy: Record<string, number>;
  serverCpuMsPerRequest: number;
  /** The load generator's own CPU (this process, same machine) per request. */
  clientCpuMsPerRequest: number;
  machineBusyPct: number;
  loadAverage: number[];
  otherBenchmarksRunning: string[];
  alongside?: { key: string; connections: number; rps: number; errors: number; wrong: number; refused: Record<string, number> };
}

/**
 * Waits until the app is idle (under 10% of a core for half a second): requests
 * a phase's clients gave up on (timeouts) are still being answered, and that
 * work must not be billed to the next endpoint.
 */
async function settle(appPid: number) {
  const t0 = performance.now();
  for (;;) {
    const c0 = cpuMs(appPid);
    await new Promise((r) => setTimeout(r, 500));
    if (cpuMs(appPid) - c0 < 50 || performance.now() - t0 > 120_000) return Math.round(performance.now() - t0);
  }
}

/** Waits (up to QUIET_WAIT_S, default 600 s) until no other benchmark runs on this shared machine. */
async function quiet() {
  const limit = Number(process.env.QUIET_WAIT_S ?? (SHORT ? 0 : 600)) * 1000;
  const t0 = performance.now();
  while (otherBenchmarks().length && performance.now() - t0 < limit) await new Promise((r) => setTimeout(r, 5000));
  const waited = Math.round((performance.now() - t0) / 1000);
  if (waited > 5) console.log(`waited ${waited} s for other benchmarks to finish`);
}

export async function measure(e: Endpoint, appPid: number, base = BASE): Promise<Measured> {
  await quiet();
  await settle(appPid);
  const side = (seconds: number, t: Tally) =>
    e.alongside ? load(e.alongside.endpoint, seconds, t, base, e.alongside.connections) : Promise.resolve(null);
  const sideTally: Tally = { ok: 0, refused: {}, errors: {}, wrong: 0 };
  await Promise.all([
    load(e, WARMUP_SECONDS, { ok: 0, refused: {}, errors: {}, wrong: 0 }, base),
    side(WARMUP_SECONDS, { ok: 0, refused: {}, errors: {}, wrong: 0 }),
  ]);
  await settle(appPid);
  const tally: Tally = { ok: 0, refused: {}, errors: {}, wrong: 0 };
  const others = otherBenchmarks();
  const cpu0 = cpuMs(appPid);
  const client0 = process.cpuUsage();
  const j0 = machineJiffies();
  const [r, sideRun] = await Promise.all([load(e, SECONDS, tally, base), side(SECONDS, sideTally)]);
  const cpu1 = cpuMs(appPid);
  const client = process.cpuUsage(client0);
  const j1 = machineJiffies();
  others.push(...otherBenchmarks().filter((o) => !others.includes(o)));
  const socketErrors = r.errors + r.timeouts;
  if (socketErrors) tally.errors.socket = socketErrors;
  const errors = Object.values(tally.errors).reduce((a, b) => a + b, 0);
  const sideErrors = sideRun ? Object.values(sideTally.errors).reduce((a, b) => a + b, 0) + sideRun.errors + sideRun.timeouts : 0;
  const m: Measured = {
    key: e.key,
    label: e.label,
    read: e.read,
    p50: r.latency.p50,
    p99: r.latency.p99,
    rps: round(tally.ok / r.duration),
    requests: r.requests.total,
    ok: tally.ok,
    errors,
    wrong: tally.wrong,
    refused: tally.refused,
    errorsBy: tally.errors,
    serverCpuMsPerRequest: round((cpu1 - cpu0) / Math.max(1, r.requests.total), 2),
    clientCpuMsPerRequest: round((client.user + client.system) / 1000 / Math.max(1, r.requests.total), 2),
    machineBusyPct: round((100 * (j1.busy - j0.busy)) / Math.max(1, j1.total - j0.total)),
    loadAverage: os.loadavg().map((x) => round(x, 2)),
    otherBenchmarksRunning: others,
    ...(sideRun && e.alongside
      ? {
          alongside: {
            key: e.alongside.endpoint.key,
            connections: e.alongside.connections,
            rps: round(sideTally.ok / sideRun.duration),
            errors: sideErrors,
            wrong: sideTally.wrong,
            refused: sideTally.refused,
          },
        }
      : {}),
  };
  // The side load's failures fail the run like the measured one's.
  m.errors += sideErrors;
  m.wrong += sideTally.wrong;
  console.log(
    `${e.key.padEnd(22)} p50 ${m.p50} ms  p99 ${m.p99} ms  ${m.rps} req/s  errors ${m.errors}  wrong ${m.wrong}${tally.firstWrong ? ` (${tally.firstWrong})` : ""}  refused ${JSON.stringify(m.refused)}  app CPU ${m.serverCpuMsPerRequest} ms/req  client CPU ${m.clientCpuMsPerRequest} ms/req  machine ${m.machineBusyPct}% busy  load ${m.loadAverage.join(" ")}${m.alongside ? `  alongside: ${m.alongside.key} ${m.alongside.rps} req/s` : ""}${others.length ? `  OTHER BENCHMARKS RUNNING: ${others.length}` : ""}`,
  );
  return m;
}
