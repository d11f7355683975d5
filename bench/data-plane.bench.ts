/**
 * `npm run bench:data-plane [-- --short]`: the state servers as tenants meet
 * them (real agents, real etcd members, the real controller), each figure
 * beside a bare etcd cluster started by hand in the same run:
 * - create -> writable (the environment's own user can put a key), vs a bare 3-member cluster's start -> first write;
 * - kill -9 of a host (its agent and members) -> 3 voting members in etcd's member list again (full voting
 *   strength), and -> every member serving clients; 0 of >= 10,000 keys lost; vs replacing a member of the
 *   bare cluster by hand (remove, add learner, start, promote: no failure detection);
 * - write latency p99 through our endpoints (auth on, environment user) vs the bare cluster;
 * - RSS and disk per member.
 */
import type { TlsMaterial } from "../server/contracts/agent";
import path from "node:path";
import { Etcd3 } from "etcd3";
import { machineInfo } from "./lib/machine";
import { writeBenchResult } from "./lib/results";
import { startBareCluster, replaceBareMember } from "../server/testing/bare-etcd";
import { benchDatabase, diskBytes, etcdVoters, interleavedPutLatencies, percentile, rssMiB } from "./lib/data-plane-fleet";

process.env.LOG_LEVEL ??= "warn";
const short = process.argv.includes("--short");
const CREATIONS = short ? 2 : 8;
const KILLS = short ? 1 : 5;
const KEYS = short ? 2_000 : 10_000;
const WRITES = short ? 200 : 1_000;

const { seedDemo } = await import("../prisma/seed");
const { createPrismaClient } = await import("../server/db/client");
const { migrate } = await import("../server/db/migrate");
const { joinTokens } = await import("../server/testing/runtime-fixtures");
const { serveAgentApi } = await import("../server/agent-api/http-server");
const { ProcessFleet, until } = await import("../server/testing/process-fleet");
const { reservePortRange } = await import("../server/testing/ports");
const { callerAs } = await import("../server/testing/callers");
const { databaseUrl, ensureTestPostgres } = await import("../server/testing/postgres");
const { endpointsOf, environmentClient, environmentPrefix, votingMembers } = await import("../server/testing/etcd-fleet");

const pgServer = await ensureTestPostgres((m) => console.error(m));
const dbName = `statehouse_bench_dp_${process.pid}`;
const database = await benchDatabase(pgServer.url, dbName);
const url = databaseUrl(pgServer.url, dbName);
await migrate(url);
const db = createPrismaClient(url, 6);
await seedDemo(db);
const acme = await db.tenant.findUniqueOrThrow({ where: { slug: "acme" } });
const zone = await db.securityZone.findUniqueOrThrow({ where: { name: "shared-east" } });
await db.quota.update({
  where: { tenantId: acme.id },
  data: { maxProductionEnvs: 1000, maxReplicas: 10_000, maxCpuMillis: 10_000_000, maxMemoryMiB: 10_000_000 },
});
const api = await serveAgentApi(db, 0);
// RUNTIME_TEST_ECHO=1: the agents' and the controller's info logs, timed, beside the bench's own marks.
const echo = process.env.RUNTIME_TEST_ECHO === "1";
const mark = (text: string) => echo && console.log(`${new Date().toISOString()} [bench] ${text}`);
const fleet = new ProcessFleet({ DATABASE_URL: url, LOG_LEVEL: echo ? "info" : "warn", STATEHOUSE_RECONCILE_MS: "300" }, echo);
const portBase = reservePortRange(400);
const startAgent = (name: string, i: number, token?: string) =>
  fleet.agent(name, {
    controller: api.url,
    token,
    failureDomain: `az-${(i % 3) + 1}`,
    ports: `${portBase + i * 100}-${portBase + i * 100 + 99}`,
  });
const cleanup = async () => {
  fleet.killAll();
  await new Promise<void>((r) => api.close(() => r()));
  await db.$disconnect();
  await database.drop();
  await pgServer.stop();
};
const round = (x: number) => Math.round(x);
const figure = (name: string, value: number, target: number | null, baselineName: string, baselineMs: number) => ({
  name,
  unit: "ms",
  value: round(value),
  ...(target === null ? {} : { target: `<= ${target} ms`, pass: value <= target }),
  baseline: { name: baselineName, ms: round(baselineMs) },
  ratio: Math.round((value / baselineMs) * 100) / 100,
});

try {
  const tokens = await joinTokens(db, zone.id, 4);
  tokens.forEach((token, i) => startAgent(`dp-host-${i}`, i, token));
  fleet.controller("dp-ctl");
  await until("agents joined", async () => (await db.host.count({ where: { name: { startsWith: "dp-" } } })) === 4, 60_000);
  const alice = await callerAs(db, "alice@acme.test");

  // 1. create -> writable, vs a bare cluster's start -> first write.
  const bareStarts: number[] = [];
  const creates: number[] = [];
  for (let i = 0; i < CREATIONS; i++) {
    const bare = await startBareCluster(3);
    bareStarts.push(bare.startedMs);
    await bare.stop();
    mark(`create dp-${i}`);
    const t0 = performance.now();
    const env = await alice.environment.create({ tenantId: acme.id, name: `dp-${i}`, stage: "production", haLevel: 3, zoneId: zone.id });
    let tls: TlsMaterial | undefined;
    await until(
      `dp-${i} writable`,
      async () => {
        const detail = await alice.environment.get({ id: env.id });
        if (!detail.connection) return false;
        // What a user does: the connection card's endpoints, and a client certificate of the state server.
        tls ??= detail.connection.caCert ? await alice.environment.clientCertificate({ id: env.id }) : undefined;
        const client = environmentClient({ endpoints: detail.connection.endpoints, ...(tls ? { tls } : {}) }, env.id, env.credential);
        try {
          await client.put(`${detail.connection.prefix}first`).value("1");
          return true;
        } catch {
          return false;
        } finally {
          client.close();
        }
      },
      60_000,
      100,
    );
    creates.push(performance.now() - t0);
    mark(`dp-${i} writable after ${Math.round(creates.at(-1)!)} ms`);
    if (i < CREATIONS - 1) await alice.environment.remove({ id: env.id, confirmName: `dp-${i}` });
  }
  const subject = await db.environment.findFirstOrThrow({ where: { name: `dp-${CREATIONS - 1}` } });
  const credential = (await alice.environment.rotateCredential({ id: subject.id })).credential;

  // 2. Write latency through our endpoints vs a bare cluster, same run, same client library.
  const prefix = environmentPrefix(subject.id);
  const ours = environmentClient(await endpointsOf(db, subject.stateServerId!), subject.id, credential);
  const bare = await startBareCluster(3);
  const bareClient = new Etcd3({ hosts: bare.endpoints, dialTimeout: 2000 });
  const ourPut = (i: number) => ours.put(`${prefix}lat${i}`).value("x".repeat(100)).exec();
  const barePut = (i: number) => bareClient.put(`/lat${i}`).value("x".repeat(100)).exec();
  await interleavedPutLatencies(ourPut, barePut, 50); // connections and leaders warm, not counted
  const [ourWrites, bareWrites] = await interleavedPutLatencies(ourPut, barePut, WRITES);
  const bareReplace = await replaceBareMember(bare);
  bareClient.close();
  await bare.stop();

  // 3. Memory and disk per member.
  const rows = await votingMembers(db, subject.stateServerId!);
  const rss = rows.map((r) => (r.pid ? rssMiB(r.pid) : null)).filter((x): x is number => x !== null);
  const disk = rows.map((r) => diskBytes(path.join(fleet.stateDir, r.host!.name, "members", r.id)));

  // 4. kill -9 of a host with a member -> back to 3 voting members; every key still there.
  for (let i = 0; i < KEYS; i += 100)
    await Promise.all(Array.from({ length: 100 }, (_, j) => ours.put(`${prefix}k${i + j}`).value(String(i + j))));
  ours.close();
  const recoveries: number[] = [];
  const serving: number[] = [];
  let lost = 0;
  for (let k = 0; k < KILLS; k++) {
    const members = await votingMembers(db, subject.stateServerId!);
    const victim = members.find((m) => !m.isLeader) ?? members[0]!;
    const t0 = performance.now();
    mark(`kill -9 ${victim.host!.name} (member ${victim.id})`);
    fleet.kill9(`agent:${victim.host!.name}`);
    const why = async (error: unknown) => {
      // What the controller was waiting for, to read in the failed run's output.
      const server = await db.stateServer.findUniqueOrThrow({ where: { id: subject.stateServerId! }, select: { membershipNote: true } });
      const rows = await db.replica.findMany({
        where: { stateServerId: subject.stateServerId! },
        select: { ordinal: true, state: true, memberId: true, failureReason: true, host: { select: { name: true, state: true } } },
      });
      console.error(`kill ${k} (${victim.host!.name}) did not recover: ${server.membershipNote}\n${JSON.stringify(rows)}`);
      throw error;
    };
    // Full voting strength: etcd's own member list has 3 voters again, the lost member not among them.
    await until(
      "3 voting members in etcd again",
      async () => {
        const voters = await etcdVoters(db, subject.stateServerId!);
        return voters?.length === 3 && !voters.includes(victim.memberId!);
      },
      120_000,
      100,
    ).catch(why);
    recoveries.push(performance.now() - t0);
    mark(`3 voting members again after ${Math.round(recoveries.at(-1)!)} ms`);
    // Every member also serves clients (its agent sees it answer with a leader).
    await until(
      "every member serving",
      async () => {
        const now = await votingMembers(db, subject.stateServerId!);
        return now.length === 3 && now.every((m) => m.host!.name !== victim.host!.name);
      },
      120_000,
      100,
    ).catch(why);
    serving.push(performance.now() - t0);
    mark(`every member serving after ${Math.round(serving.at(-1)!)} ms`);
    const check = environmentClient(await endpointsOf(db, subject.stateServerId!), subject.id, credential);
    const count = (await check.getAll().prefix(`${prefix}k`).keys()).length;
    check.close();
    lost += KEYS - count;
    // The host comes back (its agent restarts with its saved credential); its stale member is fenced.
    startAgent(victim.host!.name, Number(victim.host!.name.split("-").at(-1)));
    await until(
      "host back",
      async () => (await db.host.findUniqueOrThrow({ where: { name: victim.host!.name } })).state === "ready",
      60_000,
    );
    // Each trial starts from a settled cluster: the controller may move a member back to the returned host
    // (failure-domain spread), make-before-break; a kill during that move is another scenario than this figure's.
    await until(
      "the cluster settled (3 voting members, nothing moving)",
      async () => {
        const rows = await db.replica.findMany({ where: { stateServerId: subject.stateServerId! }, select: { state: true } });
        return rows.length === 3 && rows.every((r) => r.state === "running");
      },
      120_000,
      200,
    ).catch(why);
  }

  const result = {
    benchmark: "data-plane",
    command: `npm run bench:data-plane${short ? " -- --short" : ""}`,
    date: new Date().toISOString(),
    machine: machineInfo(),
    setup: {
      agents: 4,
      creations: CREATIONS,
      kills: KILLS,
      keys: KEYS,
      writes: WRITES,
      members: "3-member etcd clusters (Debian etcd 3.4)",
    },
    figures: [
      ...[50, 99].map((p) =>
        figure(
          `create -> writable, p${p}`,
          percentile(creates, p),
          p === 50 ? 3000 : 10_000,
          `bare 3-member etcd start -> first write (same run), p${p}`,
          percentile(bareStarts, p),
        ),
      ),
      ...[50, 99].map((p) =>
        figure(
          `kill -9 of a host -> 3 voting members (etcd member list), p${p}`,
          percentile(recoveries, p),
          10_000,
          "bare cluster: replace a member by hand",
          bareReplace,
        ),
      ),
      ...[50, 99].map((p) =>
        figure(
          `kill -9 of a host -> every member serving clients, p${p}`,
          percentile(serving, p),
          null,
          "bare cluster: replace a member by hand",
          bareReplace,
        ),
      ),
      ...[99, 50].map((p) =>
        figure(
          `write latency p${p} (environment user, auth on)`,
          percentile(ourWrites, p),
          null,
          `bare cluster write latency p${p}`,
          percentile(bareWrites, p),
        ),
      ),
    ],
    keysLost: lost,
    writeLatencyRatioP99: Math.round((percentile(ourWrites, 99) / percentile(bareWrites, 99)) * 100) / 100,
    perMember: { rssMiB: rss, diskBytes: disk },
    samples: {
      creates: creates.map(round),
      bareStarts: bareStarts.map(round),
      recoveries: recoveries.map(round),
      serving: serving.map(round),
    },
  };
  const written = writeBenchResult("data-plane", result);
  for (const f of result.figures) console.log(`${f.name}: ${f.value} ms (${f.ratio}x ${f.baseline.name} ${f.baseline.ms} ms)`);
  console.log(
    `keys lost: ${lost} of ${KEYS}; per member RSS ${rss.join("/")} MiB, disk ${disk.map((d) => Math.round(d / 1048576)).join("/")} MiB`,
  );
  console.log(`${written} written`);
  if (lost > 0) throw new Error(`${lost} keys lost`);
} finally {
  await cleanup();
}
