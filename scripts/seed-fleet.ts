import { pathToFileURL } from "node:url";
import pg from "pg";
import { seedDemo } from "../prisma/seed";
import { ids, insertRows, pad, planFleet, rng, type FleetOptions, type FleetSummary } from "./seed-fleet-plan";
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
export type { FleetOptions, FleetSummary };

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

  const { hosts, envs, servers, placed, hostOf, stateOf } = planFleet(o, { random, pick, id, zone, workZones, tenants });

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
      ["clusterToken", "text"],
      ["updatedAt", "timestamp"],
    ],
    servers.map((s) => [s.id, s.name, s.zones[0], s.tenancy, s.owner, s.stage, s.replicas, s.cpuMillis, s.memoryMiB, `sh-${s.id}`, now]),
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
      ["credentialSealed", "text"],
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
        "", // seeded fleets are placement data: no etcd credential
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
