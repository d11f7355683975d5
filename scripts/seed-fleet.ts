import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { seedDemo } from "../prisma/seed";
import { placeReplicas } from "../server/core/placement";
import type { PlacementHost, PlacementProblem, PlacementStateServer } from "../server/core/placement";
import { createPrismaClient } from "../server/db/client";
import { migrate } from "../server/db/migrate";
import { RECOUNT_QUOTA_USAGE_SQL } from "../server/services/quota-usage";
import { databaseUrl, ensureTestPostgres } from "../server/testing/postgres";

/**
 * `npm run seed:fleet`: a large, realistic fleet in a SEPARATE database (default
 * `statehouse_fleet` on the test Postgres server; FLEET_DATABASE_URL overrides)
 * for the placement map's scale checks and `npm run bench:map`. The demo users
 * are seeded too, so the usual logins work against it. Rows go in with one
 * multi-row INSERT ... SELECT unnest(...) per table and chunk, not per-row calls;
 * replicas are placed by the real placement engine, so explanations hold.
 *
 * Flags: --hosts 2000 --replicas 30000 --environments 10000 --tenants 400
 */

export interface FleetOptions {
  hosts: number;
  replicas: number;
  environments: number;
  tenants: number;
  /** Deterministic: same seed, same fleet. */
  seed?: number;
  /** "now" for timestamps (heartbeats, events). */
  now?: Date;
}

export interface FleetSummary {
  hosts: number;
  replicas: number;
  placed: number;
  environments: number;
  stateServers: number;
  tenants: number;
  events: number;
}

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** cuid-shaped ids (25 chars), deterministic per seed, so payload sizes are realistic. */
function ids(prefix: string, seed: number) {
  return (n: number) => `c${createHash("sha1").update(`${prefix}:${seed}:${n}`).digest("hex").slice(0, 24)}`;
}

const pad = (n: number, w: number) => String(n).padStart(w, "0");
const DOMAINS = ["az-1", "az-2", "az-3", "az-4"];

async function insertRows(client: pg.ClientBase, table: string, columns: [string, string][], rows: unknown[][]) {
  const CHUNK = 10_000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const params = columns.map((_, c) => chunk.map((r) => r[c]));
    const cols = columns.map(([name]) => `"${name}"`).join(", ");
    const unnest = columns.map(([, type], c) => `$${c + 1}::${type}[]`).join(", ");
    await client.query(`INSERT INTO "${table}" (${cols}) SELECT * FROM unnest(${unnest})`, params);
  }
}

/** Adds a fleet to a migrated database that already has the demo users and zones. */
export async function seedFleet(client: pg.ClientBase, o: FleetOptions): Promise<FleetSummary> {
  const random = rng(o.seed ?? 7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const now = o.now ?? new Date();
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  const id = {
    host: ids("host", o.seed ?? 7),
    env: ids("env", o.seed ?? 7),
    server: ids("ss", o.seed ?? 7),
    replica: ids("rep", o.seed ?? 7),
    tenant: ids("tenant", o.seed ?? 7),
  };

  // Zones: the demo zones plus a second shared workload zone.
  await client.query(`INSERT INTO "SecurityZone" (id, name, purpose, isolation, description)
    VALUES ('zone-shared-west', 'shared-west', 'workload', 'shared', 'Shared workload hosts (west)') ON CONFLICT (name) DO NOTHING`);
  const zoneRows = (await client.query<{ id: string; name: string }>(`SELECT id, name FROM "SecurityZone"`)).rows;
  const zone = Object.fromEntries(zoneRows.map((z) => [z.name, z.id])) as Record<string, string>;
  const workZones = [zone["shared-east"]!, zone["shared-west"]!];

  // Tenants: the demo tenants first, then generated ones.
  const existing = (await client.query<{ id: string; slug: string }>(`SELECT id, slug FROM "Tenant" ORDER BY slug`)).rows;
  const newTenants = Array.from({ length: Math.max(0, o.tenants - existing.length) }, (_, i) => ({
    id: id.tenant(i),
    slug: `tenant-${pad(i + 1, 4)}`,
    name: `Tenant ${pad(i + 1, 4)}`,
  }));
  await insertRows(
    client,
    "Tenant",
    [
      ["id", "text"],
      ["slug", "text"],
      ["name", "text"],
      ["updatedAt", "timestamp"],
    ],
    newTenants.map((t) => [t.id, t.slug, t.name, now]),
  );
  const tenants = [...existing.map((t) => t.id), ...newTenants.map((t) => t.id)];
  await client.query(`INSERT INTO "Quota" ("tenantId", "updatedAt") SELECT id, now() FROM "Tenant" ON CONFLICT DO NOTHING`);
  await client.query(`INSERT INTO "ZoneGrant" ("tenantId", "zoneId") SELECT t.id, z.id FROM "Tenant" t, "SecurityZone" z
    WHERE z.name IN ('shared-east', 'shared-west') ON CONFLICT DO NOTHING`);

  // Hosts: 10% control plane, 20% restricted (dedicated per tenant), the rest shared east/west.
  const hosts: (PlacementHost & { name: string })[] = [];
  const nControl = Math.max(1, Math.round(o.hosts * 0.1));
  const nRestricted = Math.round(o.hosts * 0.2);
  for (let i = 0; i < o.hosts; i++) {
    const z = i < nControl ? zone.control! : i < nControl + nRestricted ? zone.restricted! : workZones[i % 2]!;
    const zname = zoneRows.find((r) => r.id === z)!.name;
    const fd = DOMAINS[Math.floor(i / 2) % DOMAINS.length]!;
    hosts.push({
      id: id.host(i),
      name: `${zname}-${fd}-${pad(i + 1, 4)}`,
      zone: z,
      failureDomain: fd,
      cpuMillis: pick([32000, 32000, 48000, 64000]),
      memoryMiB: pick([65536, 65536, 131072]),
      maxReplicas: pick([24, 24, 24, 16]),
      state: "ready",
    });
  }

  // Environments and the state servers that serve them.
  const stages = ["production", "staging", "development"] as const;
  const envs: { id: string; name: string; tenant: string; stage: (typeof stages)[number]; server?: string; pool?: boolean }[] = [];
  const servers: (PlacementStateServer & { name: string; tenancy: "shared" | "dedicated"; owner: string | null })[] = [];
  let replicaBudget = o.replicas;
  const addServer = (envIds: number[], replicas: number, zoneId: string, dedicated: boolean) => {
    const env0 = envs[envIds[0]!]!;
    const s = servers.length;
    const tenantsServed = [...new Set(envIds.map((e) => envs[e]!.tenant))];
    const server = {
      id: id.server(s),
      name: `ss-${env0.stage.slice(0, 4)}-${pad(s + 1, 5)}`,
      tenant: tenantsServed.length === 1 ? tenantsServed[0]! : "shared",
      owner: dedicated ? env0.tenant : null,
      tenancy: dedicated ? ("dedicated" as const) : ("shared" as const),
      replicas,
      cpuMillis: pick([500, 750, 1000]),
      memoryMiB: pick([1024, 2048]),
      zones: [zoneId],
      isolation: dedicated ? ("dedicated" as const) : ("shared" as const),
      spread: "required" as const,
      environments: envIds.map((e) => envs[e]!.id),
      stage: env0.stage,
    };
    servers.push(server);
    for (const e of envIds) envs[e]!.server = server.id;
    replicaBudget -= replicas;
  };
  // Host-pool environments of the platform tenant: some shared hosts are their machines (hosted mode).
  const pools = Math.max(1, Math.round(o.hosts / 200));
  for (let p = 0; p < pools; p++)
    envs.push({ id: id.env(p), name: `pool-${pad(p + 1, 2)}`, tenant: tenants[0]!, stage: "production", pool: true });
  for (let e = pools; e < o.environments; e++) {
    const stage = stages[e % 10 < 3 ? 0 : e % 10 < 6 ? 1 : 2]!;
    const t = tenants[Math.floor(random() * tenants.length)]!;
    envs.push({ id: id.env(e), name: `${stage.slice(0, 4)}-${pad(e + 1, 5)}`, tenant: t, stage });
  }
  const sharedHosts = hosts.filter((h) => workZones.includes(h.zone));
  sharedHosts.forEach((h, i) => {
    if (i % 16 === 0) h.environment = envs[(i / 16) % pools]!.id;
  });
  for (let p = 0; p < pools; p++) addServer([p], 3, zone.control!, false);
  // Dedicated production servers in the restricted zone: a few tenants, few servers each.
  const restrictedTenants = tenants.slice(0, Math.max(1, Math.floor(nRestricted / 4)));
  const queue = envs.map((_, i) => i).slice(pools);
  // Each dedicated tenant needs hosts of its own: about two replicas per restricted host.
  let dedicatedLeft = Math.min(nRestricted * 2, Math.floor(o.replicas / 10));
  for (const e of queue) {
    const env = envs[e]!;
    if (dedicatedLeft < 3) break;
    if (env.stage !== "production" || !restrictedTenants.includes(env.tenant)) continue;
    addServer([e], 3, zone.restricted!, true);
    dedicatedLeft -= 3;
  }
  // Everything else on shared servers: production 5 replicas, others 3; 1-2 environments each.
  const rest = queue.filter((e) => !envs[e]!.server);
  for (let i = 0; i < rest.length && replicaBudget > 0;) {
    const stage = envs[rest[i]!]!.stage;
    const want = stage === "production" ? 5 : 3;
    const replicas = Math.min(want, replicaBudget);
    const take = rest.length - i > replicaBudget / 3 ? 2 : 1;
    const group = rest.slice(i, i + take).filter((e) => envs[e]!.stage === stage);
    addServer(group.length ? group : [rest[i]!], replicas, workZones[servers.length % 2]!, false);
    i += Math.max(1, group.length);
  }
  // Spend any budget left on extra replicas of the last servers (keeps the requested total exact).
  for (let s = servers.length - 1; replicaBudget > 0 && s >= 0; s--) {
    if (servers[s]!.replicas < 5 && servers[s]!.isolation === "shared") {
      servers[s]!.replicas++;
      replicaBudget--;
    }
  }

  const problem: PlacementProblem = { strategy: "spread", hosts, stateServers: servers, existing: [] };
  const placed = placeReplicas(problem);
  const hostOf = new Map(placed.placements.map((p) => [`${p.stateServer}#${p.ordinal}`, p.host]));

  // After placement some hosts change state: down (replicas failed), cordoned, draining.
  const stateOf = new Map<string, PlacementHost["state"]>();
  hosts.forEach((h, i) => {
    if (i % 97 === 13) stateOf.set(h.id, "down");
    else if (i % 89 === 7) stateOf.set(h.id, "cordoned");
    else if (i % 211 === 5) stateOf.set(h.id, "draining");
  });

  const serverById = new Map(servers.map((s) => [s.id, s]));
  await insertRows(
    client,
    "StateServer",
    [
      ["id", "text"],
      ["name", "text"],
      ["zoneId", "text"],
      ["tenancy", '"Tenancy"'],
      ["tenantId", "text"],
      ["stage", '"Stage"'],
      ["replicas", "int"],
      ["cpuMillis", "int"],
      ["memoryMiB", "int"],
      ["updatedAt", "timestamp"],
    ],
    servers.map((s) => [s.id, s.name, s.zones[0], s.tenancy, s.owner, s.stage, s.replicas, s.cpuMillis, s.memoryMiB, now]),
  );
  await insertRows(
    client,
    "Environment",
    [
      ["id", "text"],
      ["tenantId", "text"],
      ["name", "text"],
      ["stage", '"Stage"'],
      ["haLevel", "int"],
      ["status", '"EnvironmentStatus"'],
      ["stateServerId", "text"],
      ["credentialHash", "text"],
      ["isHostPool", "bool"],
      ["updatedAt", "timestamp"],
    ],
    envs.map((e) => {
      const s = e.server ? serverById.get(e.server) : undefined;
      return [
        e.id,
        e.tenant,
        e.name,
        e.stage,
        s?.replicas ?? 1,
        s ? "running" : "pending",
        e.server ?? null,
        createHash("sha256").update(e.id).digest("hex"),
        e.pool ?? false,
        now,
      ];
    }),
  );
  await insertRows(
    client,
    "Host",
    [
      ["id", "text"],
      ["name", "text"],
      ["zoneId", "text"],
      ["failureDomain", "text"],
      ["cpuMillis", "int"],
      ["memoryMiB", "int"],
      ["maxReplicas", "int"],
      ["state", '"HostState"'],
      ["lastHeartbeatAt", "timestamp"],
      ["environmentId", "text"],
      ["updatedAt", "timestamp"],
    ],
    hosts.map((h) => {
      const state = stateOf.get(h.id) ?? "ready";
      return [
        h.id,
        h.name,
        h.zone,
        h.failureDomain,
        h.cpuMillis,
        h.memoryMiB,
        h.maxReplicas,
        state,
        state === "down" ? ago(3600 + random() * 3600) : ago(random() * 10),
        h.environment ?? null,
        now,
      ];
    }),
  );

  const replicaRows: unknown[][] = [];
  const events: unknown[][] = [];
  const hostIdsByZone = new Map<string, string[]>();
  for (const h of hosts) hostIdsByZone.set(h.zone, [...(hostIdsByZone.get(h.zone) ?? []), h.id]);
  const admin =
    (await client.query<{ id: string }>(`SELECT id FROM "User" WHERE "platformRole" = 'admin' ORDER BY email LIMIT 1`)).rows[0]?.id ?? null;
  let r = 0;
  for (const s of servers) {
    for (let ordinal = 0; ordinal < s.replicas; ordinal++, r++) {
      const host = hostOf.get(`${s.id}#${ordinal}`) ?? null;
      const down = host !== null && stateOf.get(host) === "down";
      const state = host === null ? "pending" : down ? "failed" : r % 250 === 3 ? "starting" : "running";
      const started = host ? ago(3600 * 24 * 7 * random()) : null;
      const rid = id.replica(r);
      replicaRows.push([
        rid,
        s.id,
        ordinal,
        host,
        state,
        down ? "host down: missed heartbeats" : null,
        started,
        host && !down ? ago(random() * 10) : null,
        started ?? now,
        now,
      ]);
      const placedAt = ago(3600 * 24 * 14 * (0.5 + random() / 2));
      if (!host) {
        events.push([ago(600 * random()), "unplaced", s.id, ordinal, rid, null, null, "no host fits", "controller", null]);
        continue;
      }
      // Every tenth replica moved in the last two days: placed elsewhere first, then moved/failed over/drained here.
      if (r % 10 === 0) {
        const peers = hostIdsByZone.get(s.zones[0]!)!.filter((h) => h !== host);
        const from = peers.length ? pick(peers) : host;
        const kind = pick(["moved", "failed_over", "drained"] as const);
        events.push([placedAt, "placed", s.id, ordinal, rid, null, from, "initial placement", "controller", null]);
        events.push([
          ago(3600 * 48 * random()),
          kind,
          s.id,
          ordinal,
          rid,
          from,
          host,
          kind === "failed_over" ? "host down: missed heartbeats" : kind === "drained" ? "host drained for maintenance" : "rebalance",
          kind === "drained" ? "user" : "controller",
          kind === "drained" ? admin : null,
        ]);
      } else {
        events.push([placedAt, "placed", s.id, ordinal, rid, null, host, "initial placement", "controller", null]);
      }
    }
  }
  await insertRows(
    client,
    "Replica",
    [
      ["id", "text"],
      ["stateServerId", "text"],
      ["ordinal", "int"],
      ["hostId", "text"],
      ["state", '"ReplicaState"'],
      ["failureReason", "text"],
      ["startedAt", "timestamp"],
      ["lastSeenAt", "timestamp"],
      ["createdAt", "timestamp"],
      ["updatedAt", "timestamp"],
    ],
    replicaRows,
  );
  events.sort((a, b) => (a[0] as Date).getTime() - (b[0] as Date).getTime());
  await insertRows(
    client,
    "PlacementEvent",
    [
      ["at", "timestamp"],
      ["kind", '"PlacementEventKind"'],
      ["stateServerId", "text"],
      ["ordinal", "int"],
      ["replicaId", "text"],
      ["fromHostId", "text"],
      ["toHostId", "text"],
      ["reason", "text"],
      ["causeType", '"ActorType"'],
      ["actorId", "text"],
    ],
    events,
  );
  // The environments above skipped creation's quota reservation: count them now.
  await client.query(RECOUNT_QUOTA_USAGE_SQL);
  return {
    hosts: hosts.length,
    replicas: replicaRows.length,
    placed: placed.placements.length,
    environments: envs.length,
    stateServers: servers.length,
    tenants: tenants.length,
    events: events.length,
  };
}

export const FLEET_DEFAULTS: FleetOptions = { hosts: 2000, replicas: 30_000, environments: 10_000, tenants: 400 };

/** Creates (or re-creates) the fleet database and returns its URL. */
export async function createFleetDatabase(o: FleetOptions = FLEET_DEFAULTS, log: (m: string) => void = console.log): Promise<string> {
  let url = process.env.FLEET_DATABASE_URL;
  if (!url) url = databaseUrl((await ensureTestPostgres(log)).url, "statehouse_fleet");
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: databaseUrl(url, "postgres") });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  await migrate(url);
  const db = createPrismaClient(url, 2);
  await seedDemo(db);
  await db.$disconnect();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    const summary = await seedFleet(client, o);
    await client.query("COMMIT");
    await client.query("ANALYZE");
    log(`fleet seeded in ${name}: ${JSON.stringify(summary)}`);
  } finally {
    await client.end();
  }
  return url;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (flag: string, fallback: number) => {
    const i = process.argv.indexOf(`--${flag}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const t0 = performance.now();
  const url = await createFleetDatabase({
    hosts: arg("hosts", FLEET_DEFAULTS.hosts),
    replicas: arg("replicas", FLEET_DEFAULTS.replicas),
    environments: arg("environments", FLEET_DEFAULTS.environments),
    tenants: arg("tenants", FLEET_DEFAULTS.tenants),
  });
  console.log(`DATABASE_URL=${url}  (${Math.round(performance.now() - t0)} ms)`);
}
