import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createFleetDatabase, FLEET_DEFAULTS, type FleetOptions } from "../scripts/seed-fleet";
import { freePort } from "../server/testing/ports";
import { databaseUrl, ensureTestPostgres, PROJECT_DIR } from "../server/testing/postgres";
import { endpoints, type MapFacts } from "./lib/api-endpoints";
import { explainReads } from "./lib/api-explain";
import { endpointFigures, versus } from "./lib/api-figures";
import { measure, type Measured } from "./lib/api-load";
import { BASE, CONNECTIONS, NEW_INDEXES, PORT, round, SECONDS, SHORT, trpcGet, WARMUP_SECONDS, WITHOUT_INDEXES } from "./lib/api-settings";
import { ensureBuild, startApp } from "./lib/app-server";
import { createLoadUsers } from "./lib/load-clients";
import { machineInfo } from "./lib/machine";
import { resultsDir } from "./lib/results";

/**
 * `npm run bench:api`: the API under load. A fleet of 10,000 environments,
 * 2,000 hosts and 30,000 replicas (`npm run seed:fleet`'s generator, in its own
 * database `statehouse_api`, re-seeded every run), served by a production build
 * as `npm start` runs it: the web server (server/web/main.ts, one worker per
 * core, change feed on) on BENCH_API_PORT (default: a free port). 100 concurrent clients
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
 * `--adapters`: only the reads, through the web server as it runs and through
 * the same web server with tRPC's standard adapter for every request
 * (STATEHOUSE_TRPC_ADAPTER=standard), same run, written to
 * bench/results/api-adapters.json.
 */
const ADAPTERS = process.argv.includes("--adapters");
const FLEET: FleetOptions = SHORT ? { hosts: 60, replicas: 600, environments: 600, tenants: 120 } : FLEET_DEFAULTS;
const log = (m: string) => console.log(m);

const runTag = Date.now().toString(36).slice(-5);
const url =
  process.env.API_BENCH_DATABASE_URL ?? databaseUrl((await ensureTestPostgres(log)).url, SHORT ? "statehouse_api_short" : "statehouse_api");
const build = ensureBuild(log, ADAPTERS);
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
const explain = ADAPTERS ? [] : await explainReads(url, users);
if (WITHOUT_INDEXES) for (const name of NEW_INDEXES) await pgc.query(`DROP INDEX IF EXISTS "${name}"`);

let failed = false;
const loadBefore = os.loadavg().map((x) => round(x, 2));
const NO_MAP: MapFacts = { etag: "", gzipBytes: 0, trpcGzipBytes: 0 };

/** `keys` measured through another server on a port of its own (a baseline of this run), named `<key> (<what>)`. */
async function baselineRun(what: string, keys: string[], start: (port: number) => ReturnType<typeof startApp>): Promise<Measured[]> {
  const out: Measured[] = [];
  const port = await freePort();
  const other = await start(port);
  try {
    const all = endpoints(users, runTag, fleet, NO_MAP);
    for (const key of keys) {
      const m = await measure(
        all.find((e) => e.key === key)!,
        other.pid!,
        `http://127.0.0.1:${port}`,
      );
      out.push({ ...m, key: `${key} (${what})` });
      if (m.errors || m.wrong) failed = true;
    }
  } finally {
    other.kill("SIGTERM");
  }
  return out;
}

function writeResult(name: string, result: Record<string, unknown>) {
  const out = WITHOUT_INDEXES
    ? path.join(PROJECT_DIR, "bench", "results", "history", "api-without-new-indexes.json")
    : path.join(resultsDir(), name);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ ...result, date: new Date().toISOString() }, null, 2)}\n`);
  console.log(`${path.relative(PROJECT_DIR, out)} written`);
}

const common = () => ({
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
});

const READS = ["health", "session.me", "environment.list", "environment.list.all", "environment.get"];

if (ADAPTERS) {
  // The web server as it runs, then the same web server with tRPC's standard adapter for every request.
  const standard = await baselineRun("standard adapter", READS, (port) =>
    startApp(port, url, "web", undefined, { STATEHOUSE_TRPC_ADAPTER: "standard" }),
  );
  const asRuns = await baselineRun("as it runs", READS, (port) => startApp(port, url));
  const asMeasured = asRuns.map((m) => ({ ...m, key: m.key.replace(" (as it runs)", "") }));
  const standardAsMeasured = standard.map((m) => ({
    ...m,
    key: m.key.replace(" (standard adapter)", ""),
    label: `${m.label} [standard adapter]`,
  }));
  writeResult("api-adapters.json", {
    benchmark: "api-adapters",
    command: `npm run bench:api -- --adapters${SHORT ? " --short" : ""}`,
    ...common(),
    figures: [
      ...endpointFigures(standardAsMeasured),
      ...endpointFigures(asMeasured),
      ...versus(asMeasured, standard, "standard adapter", "the same reads through the same web server, tRPC's standard adapter, same run"),
    ],
    endpoints: asMeasured,
    standardAdapter: standard,
  });
} else {
  // Baseline in the same run: the same reads through plain `next start` (one Next.js process, tRPC
  // through its route handler, no change feed): what the web server replaced.
  const nextStart = await baselineRun("next start", ["environment.list", "environment.get"], (port) => startApp(port, url, "next-start"));
  const measured: Measured[] = [];
  const app = await startApp(PORT, url);
  try {
    const mapFacts = await checkedMap();
    for (const e of endpoints(users, runTag, fleet, mapFacts)) {
      const m = await measure(e, app.pid!);
      measured.push(m);
      if (m.errors || m.wrong) failed = true;
    }
    await checkCreations(measured);
    const history = path.join(PROJECT_DIR, "bench", "results", "history", "api-without-new-indexes.json");
    writeResult("api.json", {
      benchmark: "api",
      command: `npm run bench:api${SHORT ? " -- --short" : ""}${WITHOUT_INDEXES ? " -- --without-new-indexes" : ""}`,
      ...common(),
      figures: [
        ...endpointFigures(measured),
        ...versus(measured, nextStart, "next start", "the same load through plain `next start`, same run"),
      ],
      endpoints: measured,
      nextStart,
      explain,
      ...(!WITHOUT_INDEXES && existsSync(history) ? { withoutNewIndexes: JSON.parse(readFileSync(history, "utf8")).endpoints } : {}),
    });
  } finally {
    app.kill("SIGTERM");
  }
}
await pgc.end();
if (failed) {
  console.error("api bench: errors or wrong answers (see above)");
  process.exit(1);
}
process.exit(0);

/** The map the load must get: fetched (and decoded in full) once, before the load, checked against the fleet. */
async function checkedMap(): Promise<MapFacts> {
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
  const facts = {
    etag: mapRes.headers.get("etag") ?? "",
    gzipBytes: Number(mapRes.headers.get("content-length")),
    trpcGzipBytes: Number(trpcMapRes.headers.get("content-length")),
  };
  console.log(`map: version ${mapBody.version}, ${Math.round(facts.gzipBytes / 1024)} KiB gzip`);
  return facts;
}

/** Every creation answered 200 is in the database, and the quota counted it; nothing else was created. */
async function checkCreations(measured: Measured[]) {
  const created = (
    await pgc.query<{ n: number; used: number; held: number }>(
      `SELECT (SELECT count(*)::int FROM "Environment" WHERE name LIKE $1) AS n,
              (SELECT coalesce(sum("usedDevelopmentEnvs"), 0)::int FROM "Quota" WHERE "tenantId" = ANY($2::text[])) AS used,
              (SELECT count(*)::int FROM "Environment"
                WHERE stage = 'development' AND status <> 'removing' AND "tenantId" = ANY($2::text[])) AS held`,
      [`b${runTag}-%`, users.clients.map((c) => c.tenantId)],
    )
  ).rows[0]!;
  const createRow = measured.find((m) => m.key === "environment.create")!;
  console.log(
    `environments created (warm-up and measured): ${created.n} rows; quota counters ${created.used} for ${created.held} development environments`,
  );
  // The seeded fleet's environments count too (the seeder recounts usage): counters equal what the tenants hold.
  if (created.held !== created.used) {
    console.error(`quota counters (${created.used}) do not match the development environments held (${created.held})`);
    failed = true;
  }
  if (created.n < createRow.ok) {
    console.error(`fewer environments in the database (${created.n}) than answered as created in the measured window`);
    failed = true;
  }
}
