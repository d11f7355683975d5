import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { createFleetDatabase, FLEET_DEFAULTS, type FleetOptions } from "../scripts/seed-fleet";
import { callerFromSession } from "../server/auth/caller";
import { loadSessionUser } from "../server/auth/session-user";
import { sessionFromApiToken } from "../server/services/api-tokens";
import { getEnvironmentDetail } from "../server/services/environment-lifecycle";
import { listEnvironments } from "../server/services/environments";
import { loadPlacementMap, placementVersion } from "../server/services/placement-map/map";
import { databaseUrl, ensureTestPostgres, PROJECT_DIR } from "../server/testing/postgres";
import { cpuMs, ensureBuild, machineJiffies, otherBenchmarks, startApp } from "./lib/app-server";
import { capturingClient, explainAll, explainWithout, type ExplainedQuery } from "./lib/explain";
import { createLoadUsers, type LoadClient, type LoadUsers } from "./lib/load-clients";
import { machineInfo } from "./lib/machine";
import { nativeLoad } from "./lib/native-load";
import { resultsDir } from "./lib/results";

/**
 * `npm run bench:api`: the API under load. A fleet of 10,000 environments,
 * 2,000 hosts and 30,000 replicas (`npm run seed:fleet`'s generator, in its own
 * database `statehouse_api`, re-seeded every run), served by a production build
 * as `npm start` runs it: the web server (server/web/main.ts, one worker per
 * core, change feed on) on BENCH_API_PORT (3900). 100 concurrent clients
 * (autocannon, same machine), each a tenant owner with a personal API token,
 * for 30 s per endpoint: environment.list (own tenant; and support's
 * all-tenants page), environment.get, the placement map (GET
 * /api/placement/map as the map page loads it, and the tRPC procedure
 * placement.map that API clients call) and environment.create. Baselines in
 * the same run at the same concurrency: GET /api/health (one `SELECT 1`),
 * session.me (token + session, no procedure work), and environment.list and
 * environment.get through plain `next start` (the architecture the web server
 * replaced). Every answer is checked (right tenant, right environment, the
 * map's version, encoding and byte count — the two map endpoints are loaded
 * with a native-parser client, bench/lib/native-load.ts —, created rows in
 * the database); quota/conflict
 * refusals are counted apart from errors. EXPLAIN ANALYZE of each read query
 * with and without the indexes of migration api_read_indexes (dropped in a
 * rolled-back transaction) goes into the result.
 *
 * `--short` (CI): a 120-tenant fleet, 25 clients, 2 s per endpoint; still fails
 * on any error or wrong answer. `--without-new-indexes`: measure with those
 * indexes dropped (the "before" load run), written to bench/results/history/.
 */
const SHORT = process.argv.includes("--short");
const WITHOUT_INDEXES = process.argv.includes("--without-new-indexes");
const PORT = Number(process.env.BENCH_API_PORT ?? 3900);
const BASE = `http://127.0.0.1:${PORT}`;
const CONNECTIONS = SHORT ? 25 : 100;
const SECONDS = SHORT ? 2 : 30;
const WARMUP_SECONDS = SHORT ? 1 : 3;
const FLEET: FleetOptions = SHORT ? { hosts: 60, replicas: 600, environments: 600, tenants: 120 } : FLEET_DEFAULTS;
const NEW_INDEXES = [
  "Environment_createdAt_id_idx",
  "Environment_updatedAt_idx",
  "Replica_updatedAt_idx",
  "AuditEvent_targetType_targetId_id_idx",
];
const READ_TARGET = { p99Ms: 50, rps: 2000 };

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const log = (m: string) => console.log(m);
const trpcGet = (procedure: string, input: unknown) =>
  `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

interface Tally {
  ok: number;
  refused: Record<string, number>;
  errors: Record<string, number>;
  wrong: number;
  firstWrong?: string;
}

/** What each endpoint sends and how an answer is judged (`true`: right; a string: what was wrong). */
interface Endpoint {
  key: string;
  label: string;
  read: boolean;
  request: (
    client: number,
    n: number,
  ) => { method: "GET" | "POST"; path: string; token: string | null; body?: string; headers?: Record<string, string> };
  check: (client: number, body: unknown, sent: { path: string; body?: string }, headers: Record<string, string>) => true | string;
  /** Another load run at the same time (its answers checked too): e.g. writes that keep dropping the read caches. */
  alongside?: { endpoint: Endpoint; connections: number };
  /** A big binary body: loaded with nativeLoad (bench/lib/native-load.ts) and judged on status, headers and byte count, every answer. */
  bigBody?: boolean;
}

/**
 * The map as GET /api/placement/map serves it right now: its version and gzip
 * length. Every load answer must have that version and about that length
 * (each web worker builds and gzips the map itself, with its own
 * generatedAt, so lengths may differ by a few bytes between workers).
 */
interface MapFacts {
  etag: string;
  gzipBytes: number;
  /** The same map in tRPC's envelope (placement.map), gzipped. */
  trpcGzipBytes: number;
}

function endpoints(
  users: LoadUsers,
  runTag: string,
  expected: { hosts: number; replicas: number; environments: number },
  map: MapFacts,
): Endpoint[] {
  let created = 0; // a new name for every creation, across warm-up and measured runs
  const c = (i: number): LoadClient => users.clients[i % users.clients.length]!;
  const data = (body: unknown) => (body as { result: { data: { json: Record<string, unknown> } } }).result.data.json;
  const create: Endpoint = {
    key: "environment.create",
    label: "environment.create (development, HA 1)",
    read: false,
    request: (i) => ({
      method: "POST",
      path: "/api/trpc/environment.create",
      token: c(i).token,
      body: JSON.stringify({
        json: { tenantId: c(i).tenantId, name: `b${runTag}-${i}-${created++}`, stage: "development", haLevel: 1, zoneId: users.zoneId },
      }),
    }),
    check: (i, body, sent) => {
      const d = data(body) as { name: string; tenantId: string; credential: string; status: string };
      const want = (JSON.parse(sent.body!) as { json: { name: string } }).json.name;
      return d.name === want && d.tenantId === c(i).tenantId && d.credential.startsWith("env_") && d.status === "pending"
        ? true
        : "wrong creation";
    },
  };
  const get: Endpoint = {
    key: "environment.get",
    label: "environment.get (detail page)",
    read: true,
    request: (i, n) => {
      const ids = c(i).environmentIds;
      return { method: "GET", path: trpcGet("environment.get", { id: ids[n % ids.length] }), token: c(i).token };
    },
    check: (i, body, sent) => {
      const d = data(body) as { id: string; tenantId: string; replicas: unknown[]; stateServer: unknown };
      if (!sent.path.includes(encodeURIComponent(`"${d.id}"`))) return "another environment";
      return d.tenantId === c(i).tenantId && d.stateServer && d.replicas.length > 0 ? true : "incomplete detail";
    },
  };
  return [
    {
      key: "health",
      label: "GET /api/health (baseline: one SELECT 1)",
      read: true,
      request: () => ({ method: "GET", path: "/api/health", token: null }),
      check: (_, body) => ((body as { status?: string }).status === "ok" ? true : "status not ok"),
    },
    {
      key: "session.me",
      label: "session.me (baseline: token + session load)",
      read: true,
      request: (i) => ({ method: "GET", path: trpcGet("session.me", undefined), token: c(i).token }),
      check: (i, body) => (data(body).email === c(i).email ? true : "another user's session"),
    },
    {
      key: "environment.list",
      label: "environment.list (tenant owner, 20 per page)",
      read: true,
      request: (i) => ({ method: "GET", path: trpcGet("environment.list", { limit: 20 }), token: c(i).token }),
      check: (i, body) => {
        const items = data(body).items as { tenantId: string }[];
        if (items.length !== Math.min(20, c(i).environmentCount)) return `page of ${items.length}`;
        return items.every((e) => e.tenantId === c(i).tenantId) ? true : "another tenant's environment listed";
      },
    },
    {
      key: "environment.list.all",
      label: "environment.list (support: all tenants, 20 per page)",
      read: true,
      request: () => ({ method: "GET", path: trpcGet("environment.list", { limit: 20 }), token: users.support.token }),
      check: (_, body) => ((data(body).items as unknown[]).length === 20 && data(body).nextCursor ? true : "short page"),
    },
    get,
    {
      key: "placement.map.http",
      label: "GET /api/placement/map (support, whole fleet, gzip, as the map page loads it)",
      read: true,
      bigBody: true,
      request: () => ({ method: "GET", path: "/api/placement/map", token: users.support.token, headers: { "accept-encoding": "gzip" } }),
      check: (_, _body, _sent, headers) =>
        headers.etag !== map.etag
          ? `version ${headers.etag}, expected ${map.etag}`
          : headers["content-encoding"] !== "gzip"
            ? "not gzipped"
            : Math.abs(Number(headers["content-length"]) - map.gzipBytes) > 64
              ? `${headers["content-length"]} bytes, expected about ${map.gzipBytes}`
              : true,
    },
    {
      key: "placement.map",
      label: "placement.map via tRPC (API clients; gzip)",
      read: true,
      bigBody: true,
      request: () => ({
        method: "GET",
        path: trpcGet("placement.map", {}),
        token: users.support.token,
        headers: { "accept-encoding": "gzip" },
      }),
      check: (_, _body, _sent, headers) =>
        headers["content-encoding"] !== "gzip"
          ? "not gzipped"
          : Math.abs(Number(headers["content-length"]) - map.trpcGzipBytes) > 64
            ? `${headers["content-length"]} bytes, expected about ${map.trpcGzipBytes}`
            : true,
    },
    // After the map (its version moves with every creation), before the creation run.
    {
      ...get,
      key: "environment.get.churn",
      label: "environment.get while 10 more clients create environments (writes the detail caches must notice)",
      alongside: { endpoint: create, connections: 10 },
    },
    create,
  ];
}

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

interface Measured {
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

async function measure(e: Endpoint, appPid: number, base = BASE): Promise<Measured> {
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

/** EXPLAIN ANALYZE of every read statement behind each procedure, without and with the new indexes. */
async function explainReads(url: string, users: LoadUsers) {
  const { db, capture } = capturingClient(url);
  const pgc = new pg.Client({ connectionString: url });
  await pgc.connect();
  try {
    const member = callerFromSession({ user: (await loadSessionUser(db, users.clients[0]!.userId))!, expires: "" });
    const support = callerFromSession({ user: (await loadSessionUser(db, users.support.userId))!, expires: "" });
    const envId = users.clients[0]!.environmentIds[0]!;
    const procedures: [string, () => Promise<unknown>][] = [
      ["session (API token → session)", () => sessionFromApiToken(db, users.clients[0]!.token)],
      ["environment.list (tenant owner)", () => listEnvironments(db, member, { limit: 20 })],
      ["environment.list (support, all tenants)", () => listEnvironments(db, support, { limit: 20 })],
      ["environment.get", () => getEnvironmentDetail({ db, caller: member, requestId: "explain" }, envId)],
      ["placement.version (every map request and poll)", () => placementVersion(db, support)],
      ["placement.map build (once per version)", () => loadPlacementMap(db, support)],
    ];
    const out: {
      procedure: string;
      statements: number;
      beforeMs: number;
      afterMs: number;
      queries: { sql: string; before: ExplainedQuery; after: ExplainedQuery }[];
    }[] = [];
    for (const [procedure, fn] of procedures) {
      const statements = (await capture(fn)).filter((q) => /^\s*(SELECT|WITH)/i.test(q.sql));
      const before = await explainWithout(pgc, NEW_INDEXES, statements, SHORT ? 2 : 5);
      const after = await explainAll(pgc, statements, SHORT ? 2 : 5);
      const sum = (xs: ExplainedQuery[]) =>
        round(
          xs.reduce((a, q) => a + q.executionMs, 0),
          3,
        );
      out.push({
        procedure,
        statements: statements.length,
        beforeMs: sum(before),
        afterMs: sum(after),
        queries: statements.map((q, i) => ({ sql: after[i]!.sql, before: { ...before[i]!, sql: "" }, after: { ...after[i]!, sql: "" } })),
      });
      console.log(
        `EXPLAIN ${procedure}: ${statements.length} statements, ${sum(before)} ms without the new indexes → ${sum(after)} ms with them`,
      );
    }
    return out;
  } finally {
    await pgc.end();
    await db.$disconnect();
  }
}

// ---------------------------------------------------------------------------

const runTag = Date.now().toString(36).slice(-5);
const url =
  process.env.API_BENCH_DATABASE_URL ?? databaseUrl((await ensureTestPostgres(log)).url, SHORT ? "statehouse_api_short" : "statehouse_api");
const build = ensureBuild(log);
const seedStart = performance.now();
process.env.FLEET_DATABASE_URL = url; // createFleetDatabase (re)creates the database named here
await createFleetDatabase(FLEET, log);
const pgc = new pg.Client({ connectionString: url });
await pgc.connect();
const users = await createLoadUsers(pgc, CONNECTIONS);
const fleet = (
  await pgc.query<{ hosts: number; replicas: number; environments: number }>(
    `SELECT (SELECT count(*)::int FROM "Host") AS hosts, (SELECT count(*)::int FROM "Replica") AS replicas, (SELECT count(*)::int FROM "Environment") AS environments`,
  )
).rows[0]!;
await pgc.query("VACUUM ANALYZE");
console.log(`fleet ${JSON.stringify(fleet)} and ${CONNECTIONS} load users ready in ${Math.round(performance.now() - seedStart)} ms`);
const explain = await explainReads(url, users);
if (WITHOUT_INDEXES) for (const name of NEW_INDEXES) await pgc.query(`DROP INDEX IF EXISTS "${name}"`);

const measured: Measured[] = [];
let failed = false;
const loadBefore = os.loadavg().map((x) => round(x, 2));

// Baseline in the same run: the same reads through plain `next start` (one Next.js process, tRPC
// through its route handler, no change feed): what the web server replaced.
const nextStart: Measured[] = [];
{
  const nextApp = await startApp(PORT + 1, url, "next-start");
  try {
    const all = endpoints(users, runTag, fleet, { etag: "", gzipBytes: 0, trpcGzipBytes: 0 });
    for (const key of ["environment.list", "environment.get"]) {
      const m = await measure(
        all.find((e) => e.key === key)!,
        nextApp.pid!,
        `http://127.0.0.1:${PORT + 1}`,
      );
      nextStart.push({ ...m, key: `${key} (next start)` });
      if (m.errors || m.wrong) failed = true;
    }
  } finally {
    nextApp.kill("SIGTERM");
  }
}

const app = await startApp(PORT, url);
try {
  // The map the load must get: fetched (and decoded in full) once, before the load.
  const mapRes = await fetch(`${BASE}/api/placement/map`, {
    headers: { authorization: `Bearer ${users.support.token}`, "accept-encoding": "gzip" },
  });
  const mapBody = (await mapRes.json()) as {
    version: string;
    hosts: { id: unknown[] };
    replicas: { host: unknown[] };
    environments: { name: unknown[] };
  };
  if (
    mapBody.hosts.id.length !== fleet.hosts ||
    mapBody.replicas.host.length !== fleet.replicas ||
    mapBody.environments.name.length !== fleet.environments
  ) {
    throw new Error("GET /api/placement/map does not match the fleet");
  }
  const trpcMapRes = await fetch(`${BASE}${trpcGet("placement.map", {})}`, {
    headers: { authorization: `Bearer ${users.support.token}`, "accept-encoding": "gzip" },
  });
  const trpcMap = ((await trpcMapRes.json()) as { result: { data: { json: typeof mapBody } } }).result.data.json;
  if (trpcMap.version !== mapBody.version || trpcMap.replicas.host.length !== fleet.replicas)
    throw new Error("placement.map does not match the map route");
  const mapFacts: MapFacts = {
    etag: mapRes.headers.get("etag") ?? "",
    gzipBytes: Number(mapRes.headers.get("content-length")),
    trpcGzipBytes: Number(trpcMapRes.headers.get("content-length")),
  };
  console.log(`map: version ${mapBody.version}, ${Math.round(mapFacts.gzipBytes / 1024)} KiB gzip`);
  for (const e of endpoints(users, runTag, fleet, mapFacts)) {
    const m = await measure(e, app.pid!);
    measured.push(m);
    if (m.errors || m.wrong) failed = true;
  }
  // Every creation answered 200 is in the database, and the quota counted it; nothing else was created.
  const created = (
    await pgc.query<{ n: number; used: number }>(
      `SELECT (SELECT count(*)::int FROM "Environment" WHERE name LIKE $1) AS n,
              (SELECT coalesce(sum("usedDevelopmentEnvs"), 0)::int FROM "Quota" WHERE "tenantId" = ANY($2::text[])) AS used`,
      [`b${runTag}-%`, users.clients.map((c) => c.tenantId)],
    )
  ).rows[0]!;
  const createRow = measured.find((m) => m.key === "environment.create")!;
  console.log(`environments created (warm-up and measured): ${created.n} rows, quota counters ${created.used}`);
  if (created.n !== created.used) {
    console.error(`quota counters (${created.used}) do not match the environments created (${created.n})`);
    failed = true;
  }
  if (created.n < createRow.ok) {
    console.error(`fewer environments in the database (${created.n}) than answered as created in the measured window`);
    failed = true;
  }

  const floor = measured.find((m) => m.key === "session.me")!;
  const health = measured.find((m) => m.key === "health")!;
  const baseline = (what: "p50" | "p99" | "rps") => ({
    name: "session.me, same run, same concurrency",
    [what === "rps" ? "reqPerS" : `${what}Ms`]: floor[what],
    [what === "rps" ? "healthReqPerS" : `health${what}Ms`]: health[what],
  });
  const versusNextStart = nextStart.flatMap((n) => {
    const m = measured.find((x) => `${x.key} (next start)` === n.key)!;
    const baselineOf = { name: "the same load through plain `next start`, same run", p50Ms: n.p50, p99Ms: n.p99, reqPerS: n.rps };
    return [
      {
        name: `${m.label}: throughput, web server vs next start`,
        unit: "req/s",
        target: "",
        value: m.rps,
        baseline: baselineOf,
        ratio: round(m.rps / Math.max(0.1, n.rps), 1),
      },
      {
        name: `${m.label}: p99, web server vs next start`,
        unit: "ms",
        target: "",
        value: m.p99,
        baseline: baselineOf,
        ratio: round(m.p99 / Math.max(0.1, n.p99), 3),
      },
    ];
  });
  const figures = measured
    .filter((m) => m.key !== "health" && m.key !== "session.me")
    .flatMap((m) => [
      {
        name: `${m.label}: p50`,
        unit: "ms",
        target: "",
        value: m.p50,
        baseline: baseline("p50"),
        ratio: round(m.p50 / Math.max(0.1, floor.p50), 2),
      },
      {
        name: `${m.label}: p99`,
        unit: "ms",
        target: m.read ? `<= ${READ_TARGET.p99Ms} ms` : "",
        value: m.p99,
        baseline: baseline("p99"),
        ratio: round(m.p99 / Math.max(0.1, floor.p99), 2),
        ...(m.read ? { pass: m.p99 <= READ_TARGET.p99Ms } : {}),
      },
      {
        name: `${m.label}: throughput`,
        unit: "req/s",
        target: m.read ? `>= ${READ_TARGET.rps} req/s` : "",
        value: m.rps,
        baseline: baseline("rps"),
        ratio: round(m.rps / Math.max(0.1, floor.rps), 2),
        ...(m.read ? { pass: m.rps >= READ_TARGET.rps } : {}),
      },
      {
        name: `${m.label}: errors / wrong answers`,
        unit: "",
        target: "0",
        value: `${m.errors} / ${m.wrong} of ${m.requests}${Object.keys(m.refused).length ? ` (refused: ${JSON.stringify(m.refused)})` : ""}${m.alongside ? `; alongside, ${m.alongside.key} answered ${m.alongside.rps} req/s` : ""}`,
        baseline: null,
        ratio: null,
        pass: m.errors === 0 && m.wrong === 0,
      },
    ])
    .concat(versusNextStart);
  const history = path.join(PROJECT_DIR, "bench", "results", "history", "api-without-new-indexes.json");
  const result = {
    benchmark: "api",
    command: `npm run bench:api${SHORT ? " -- --short" : ""}${WITHOUT_INDEXES ? " -- --without-new-indexes" : ""}`,
    date: new Date().toISOString(),
    seed: `FLEET_DATABASE_URL=${url.replace(/\/\/[^@]*@/, "//")} npm run seed:fleet -- --hosts ${FLEET.hosts} --replicas ${FLEET.replicas} --environments ${FLEET.environments} --tenants ${FLEET.tenants}`,
    fleet,
    load: {
      tool: "autocannon 9.0.0 (programmatic, same machine)",
      connections: CONNECTIONS,
      secondsPerEndpoint: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      auth: "personal API tokens (Bearer sht_…), one tenant owner per connection",
      appPoolSizePerWorker: 10,
    },
    app: {
      server: "web server (server/web/main.ts, as npm start runs it)",
      workers: Number(process.env.WEB_WORKERS ?? Math.min(os.availableParallelism(), 4)),
    },
    build,
    machine: { ...machineInfo(), loadAverageAtStart: loadBefore, loadAverageAtEnd: os.loadavg().map((x) => round(x, 2)) },
    figures,
    endpoints: measured,
    nextStart,
    explain,
    ...(!WITHOUT_INDEXES && existsSync(history) ? { withoutNewIndexes: JSON.parse(readFileSync(history, "utf8")).endpoints } : {}),
  };
  const out = WITHOUT_INDEXES ? history : path.join(resultsDir(), "api.json");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`${path.relative(PROJECT_DIR, out)} written`);
} finally {
  app.kill("SIGTERM");
  await pgc.end();
}
if (failed) {
  console.error("api bench: errors or wrong answers (see above)");
  process.exit(1);
}
process.exit(0);
