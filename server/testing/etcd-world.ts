import type { Etcd3 } from "etcd3";
import { serveAgentApi } from "../agent-api/http-server";
import { withEtcd } from "../etcd/client";
import { listMembers } from "../etcd/cluster-admin";
import { clusterRootAccess } from "../services/runtime/cluster-access";
import { createTestDatabase, type TestDatabase } from "./db";
import { endpointsOf, environmentClient, environmentPrefix, memberRows } from "./etcd-fleet";
import { ProcessFleet, until } from "./process-fleet";
import { reservePortRange } from "./ports";
import { createWorld, joinTokens, type World, type WorldServer } from "./runtime-fixtures";

/**
 * A runtime world on real etcd for one test file: its own database, agent API,
 * agents (one per failure domain given, named host-<i>) and controllers. Ports
 * stay below Linux's ephemeral range and are spread by pid so test files on the
 * same machine do not collide.
 */
export interface EtcdWorld {
  t: TestDatabase;
  fleet: ProcessFleet;
  world: World;
  api: Awaited<ReturnType<typeof serveAgentApi>>;
  /** Starts (or restarts: same name, same state dir, saved credential) agent host-<i>. */
  agent(i: number, token?: string): void;
  /** Joins more hosts in the given failure domains; returns their indexes. */
  addHosts(domains: string[]): Promise<number[]>;
  close(): Promise<void>;
}

const PORTS_PER_AGENT = 8;

export async function startEtcdWorld(options: {
  zone: string;
  servers: WorldServer[];
  domains: string[];
  controllers?: string[];
  reconcileMs?: number;
}): Promise<EtcdWorld> {
  const t = await createTestDatabase();
  const api = await serveAgentApi(t.db, 0);
  const world = await createWorld(t.db, { zoneName: options.zone, tenantSlug: options.zone, servers: options.servers });
  const fleet = new ProcessFleet(
    { DATABASE_URL: t.url, LOG_LEVEL: "warn", STATEHOUSE_RECONCILE_MS: String(options.reconcileMs ?? 300), ETCD_BCRYPT_COST: "4" },
    process.env.RUNTIME_TEST_ECHO === "1",
  );
  const portBase = reservePortRange(70);
  const domains: string[] = [];
  const agent = (i: number, token?: string) =>
    fleet.agent(`host-${i}`, {
      controller: api.url,
      token,
      failureDomain: domains[i]!,
      ports: `${portBase + i * PORTS_PER_AGENT}-${portBase + i * PORTS_PER_AGENT + PORTS_PER_AGENT - 1}`,
    });
  const addHosts = async (more: string[]) => {
    const tokens = await joinTokens(t.db, world.zoneId, more.length);
    return more.map((domain, k) => {
      const i = domains.push(domain) - 1;
      agent(i, tokens[k]);
      return i;
    });
  };
  await addHosts(options.domains);
  for (const c of options.controllers ?? ["c1"]) fleet.controller(c);
  return {
    t,
    fleet,
    world,
    api,
    agent,
    addHosts,
    async close() {
      fleet.killAll();
      await new Promise<void>((r) => api.close(() => r()));
      await t.drop();
    },
  };
}

/** Writes `count` keys `<tag>-<n>` under the environment's prefix, each acknowledged before the next. */
export async function writeKeys(client: Etcd3, environmentId: string, tag: string, count: number) {
  const written = new Map<string, string>();
  for (let n = 0; n < count; n++) {
    const key = `${environmentPrefix(environmentId)}${tag}-${n}`;
    await client.put(key).value(`v${n}`);
    written.set(key, `v${n}`);
  }
  return written;
}

/**
 * Every key under the environment's prefix, read with its own credential at the
 * server's current endpoints. Like any client, it tries again when the endpoint
 * it picked is a dead member (the rows keep members of a down host until removed).
 */
export async function readEnvironment(t: TestDatabase, environmentId: string, credential: string) {
  const env = await t.db.environment.findUniqueOrThrow({ where: { id: environmentId }, select: { stateServerId: true } });
  return until(
    "a read of the environment's prefix",
    async () => {
      const client = environmentClient(await endpointsOf(t.db, env.stateServerId!), environmentId, credential);
      try {
        return new Map(Object.entries(await client.getAll().prefix(environmentPrefix(environmentId)).strings()));
      } finally {
        client.close();
      }
    },
    30_000,
    300,
  );
}

/** etcd's own member list (root credential, retried past dead endpoints), beside the rows. */
export async function membersAndRows(t: TestDatabase, stateServerId: string) {
  const members = await until(
    "etcd's member list",
    async () => withEtcd(await clusterRootAccess(t.db, stateServerId), listMembers),
    30_000,
    300,
  );
  return { members, rows: await memberRows(t.db, stateServerId) };
}

export async function environmentStatus(t: TestDatabase, environmentId: string) {
  return (await t.db.environment.findUniqueOrThrow({ where: { id: environmentId }, select: { status: true } })).status;
}
