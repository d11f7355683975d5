import { createHash } from "node:crypto";
import type pg from "pg";
import { placeReplicas } from "../server/core/placement";
import type { PlacementHost, PlacementProblem, PlacementStateServer } from "../server/core/placement";
import { seededRandom as rng } from "../server/core/seeded-random";

/** The generator behind `npm run seed:fleet` (scripts/seed-fleet.ts), in memory. */
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

export { rng };

/** cuid-shaped ids (25 chars), deterministic per seed, so payload sizes are realistic. */
export function ids(prefix: string, seed: number) {
  return (n: number) => `c${createHash("sha1").update(`${prefix}:${seed}:${n}`).digest("hex").slice(0, 24)}`;
}

export const pad = (n: number, w: number) => String(n).padStart(w, "0");
export const DOMAINS = ["az-1", "az-2", "az-3", "az-4"];

/** What the generated fleet is made of, before anything is written: hosts, environments, state servers, and where placement put each replica. */
export function planFleet(
  o: FleetOptions,
  {
    random,
    pick,
    id,
    zone,
    workZones,
    tenants,
  }: {
    random: () => number;
    pick: <T>(xs: readonly T[]) => T;
    id: Record<"host" | "env" | "server" | "replica" | "tenant", (n: number) => string>;
    zone: Record<string, string>;
    workZones: string[];
    tenants: string[];
  },
) {
  // Hosts: 10% control plane, 20% restricted (dedicated per tenant), the rest shared east/west.
  const hosts: (PlacementHost & { name: string })[] = [];
  const nControl = Math.max(1, Math.round(o.hosts * 0.1));
  const nRestricted = Math.round(o.hosts * 0.2);
  for (let i = 0; i < o.hosts; i++) {
    const z = i < nControl ? zone.control! : i < nControl + nRestricted ? zone.restricted! : workZones[i % 2]!;
    const zname = Object.keys(zone).find((name) => zone[name] === z)!;
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
  return { hosts, envs, servers, placed, hostOf, stateOf };
}

/** Rows of one table in one multi-row INSERT ... SELECT unnest(...) per chunk of 10,000. */
export async function insertRows(client: pg.ClientBase, table: string, columns: [string, string][], rows: unknown[][]) {
  const CHUNK = 10_000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const params = columns.map((_, c) => chunk.map((r) => r[c]));
    const cols = columns.map(([name]) => `"${name}"`).join(", ");
    const unnest = columns.map(([, type], c) => `$${c + 1}::${type}[]`).join(", ");
    await client.query(`INSERT INTO "${table}" (${cols}) SELECT * FROM unnest(${unnest})`, params);
  }
}
