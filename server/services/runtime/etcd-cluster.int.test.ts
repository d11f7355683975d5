import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EtcdPermissionDeniedError } from "etcd3";
import { createTestDatabase, type TestDatabase } from "../../testing/db";
import { createWorld, joinTokens, type World } from "../../testing/runtime-fixtures";
import { serveAgentApi } from "../../agent-api/http-server";
import { ProcessFleet, until } from "../../testing/process-fleet";
import { reservePortRange } from "../../testing/ports";
import { endpointsOf, environmentClient, environmentPrefix, memberRows, untilRunning, votingMembers } from "../../testing/etcd-fleet";
import { request } from "node:https";
import { request as plainRequest } from "node:http";
import type { TlsMaterial } from "../../contracts/agent";
import { withEtcd } from "../../etcd/client";
import { saturateCores } from "../../testing/cpu-load";
import { listMembers } from "../../etcd/cluster-admin";

/** What a caller gets from a member's port: the body, or how it was refused. `tls` with a `cert` is a client of the cluster. */
function ask(url: string, tls: Partial<TlsMaterial> | undefined, method = "POST"): Promise<string> {
  return new Promise((resolve) => {
    const options = { method, signal: AbortSignal.timeout(3000), ...(tls ? { ca: tls.ca, cert: tls.cert, key: tls.key } : {}) };
    const req = (url.startsWith("https") ? request : plainRequest)(url, options, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve(`${res.statusCode} ${body}`));
      res.on("error", (error) => resolve(`refused: ${error.message}`));
    });
    req.on("error", (error) => resolve(`refused: ${error.message}`));
    req.end(method === "POST" ? "{}" : undefined);
  });
}

/**
 * The state servers are real etcd clusters: real agents start the members, the
 * real controller bootstraps, secures and repairs the cluster, and each
 * environment is a prefix with its own etcd user.
 */
let t: TestDatabase;
let fleet: ProcessFleet;
let world: World;
let api: Awaited<ReturnType<typeof serveAgentApi>>;
const DOMAINS = ["az-1", "az-2", "az-3"];
let portBase = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  api = await serveAgentApi(t.db, 0);
  world = await createWorld(t.db, {
    zoneName: "etcd",
    tenantSlug: "etcd",
    servers: [
      {
        name: "ha3",
        replicas: 3,
        environments: [
          { name: "prod", stage: "production" },
          { name: "stage", stage: "staging" },
        ],
      },
    ],
  });
  fleet = new ProcessFleet(
    { DATABASE_URL: t.url, LOG_LEVEL: "warn", STATEHOUSE_RECONCILE_MS: "300", ETCD_BCRYPT_COST: "4" },
    process.env.RUNTIME_TEST_ECHO === "1",
  );
  const tokens = await joinTokens(t.db, world.zoneId, 4);
  portBase = reservePortRange(4 * 20);
  tokens.forEach((token, i) =>
    fleet.agent(`host-${i}`, {
      controller: api.url,
      token,
      failureDomain: DOMAINS[i % 3]!,
      ports: `${portBase + i * 20}-${portBase + i * 20 + 19}`,
    }),
  );
  fleet.controller("c1");
}, 60_000);

afterAll(async () => {
  fleet?.killAll();
  await new Promise<void>((r) => api?.close(() => r()));
  await t?.drop();
});

describe("a state server is a 3-member etcd cluster", () => {
  it("bootstraps, enables auth and gives each environment its own user on its own prefix", async () => {
    const [prod, stage] = world.environments;
    await untilRunning(t.db, prod!.id, 90_000);
    await untilRunning(t.db, stage!.id, 30_000);
    const server = world.servers[0]!.id;
    const rows = await votingMembers(t.db, server);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.host!.id)).size).toBe(3);
    expect(rows.filter((r) => r.isLeader)).toHaveLength(1);
    expect(rows.every((r) => r.memberId)).toBe(true);

    const endpoints = await endpointsOf(t.db, server);
    const a = environmentClient(endpoints, prod!.id, prod!.credential);
    const b = environmentClient(endpoints, stage!.id, stage!.credential);
    try {
      await a.put(`${environmentPrefix(prod!.id)}greeting`).value("hello");
      expect(await a.get(`${environmentPrefix(prod!.id)}greeting`).string()).toBe("hello");
      // B's credential is refused on A's prefix, and outside its own, on the same cluster.
      await expect(b.get(`${environmentPrefix(prod!.id)}greeting`).string()).rejects.toBeInstanceOf(EtcdPermissionDeniedError);
      await expect(b.put(`${environmentPrefix(prod!.id)}x`).value("y")).rejects.toBeInstanceOf(EtcdPermissionDeniedError);
      await expect(a.put("/outside").value("y")).rejects.toBeInstanceOf(EtcdPermissionDeniedError);
      // The trailing slash matters: /env/<id>/ does not cover /env/<id>x/.
      await expect(a.put(`/env/${prod!.id}x/k`).value("y")).rejects.toBeInstanceOf(EtcdPermissionDeniedError);
    } finally {
      a.close();
      b.close();
    }
  }, 150_000);

  it("admits no caller without a certificate of the cluster: no member list, peers or metrics for strangers", async () => {
    const server = world.servers[0]!.id;
    const target = await endpointsOf(t.db, server);
    const rows = (await memberRows(t.db, server)).filter((r) => r.peerPort);
    expect(target.endpoints.length).toBe(3);
    expect(target.endpoints.every((e) => e.startsWith("https://"))).toBe(true);
    const [endpoint] = target.endpoints;
    const peer = `https://127.0.0.1:${rows[0]!.peerPort}`;
    // A stranger: no certificate (trusting the authority, so only the missing client certificate can refuse it), or plain HTTP.
    const stranger = { ca: target.tls!.ca };
    for (const path of ["/v3/cluster/member/list", "/v3/maintenance/status", "/v3/kv/range"]) {
      expect(await ask(`${endpoint}${path}`, stranger)).toMatch(/^refused/);
      expect(await ask(`${endpoint!.replace("https", "http")}${path}`, undefined)).not.toMatch(/^200/);
    }
    for (const path of ["/metrics", "/health", "/version"]) expect(await ask(`${endpoint}${path}`, stranger, "GET")).toMatch(/^refused/);
    expect(await ask(`${peer}/members`, stranger, "GET")).toMatch(/^refused/);
    expect(await ask(`${peer.replace("https", "http")}/members`, undefined, "GET")).not.toMatch(/^200/);
    await expect(withEtcd({ endpoints: [endpoint!] }, listMembers)).rejects.toThrow();
    // A client of the cluster is admitted (and still needs a password for any key).
    expect(await ask(`${endpoint}/v3/maintenance/status`, target.tls)).toMatch(/^200 /);
    expect(await withEtcd({ endpoints: [endpoint!], tls: target.tls! }, listMembers)).toHaveLength(3);
    await expect(withEtcd({ endpoints: [endpoint!], tls: target.tls! }, (c) => c.get("/env/x").string())).rejects.toThrow(
      /user name is empty|permission denied/i,
    );
  }, 60_000);

  it("survives kill -9 of one member with every core busy: no acknowledged key lost, and the member back with all of them", async () => {
    const [prod] = world.environments;
    const server = world.servers[0]!.id;
    const prefix = environmentPrefix(prod!.id);
    const victim = (await memberRows(t.db, server)).find((r) => !r.isLeader && r.pid)!;
    const a = environmentClient(await endpointsOf(t.db, server), prod!.id, prod!.credential);
    const load = saturateCores();
    const written: string[] = [];
    try {
      for (let i = 0; i < 50; i++)
        await a
          .put(`${prefix}before-${i}`)
          .value(String(i))
          .then(() => written.push(`before-${i}`));
      process.kill(victim.pid!, "SIGKILL");
      for (let i = 0; i < 50; i++)
        await a
          .put(`${prefix}after-${i}`)
          .value(String(i))
          .then(() => written.push(`after-${i}`));
      await until(
        "the killed member back (new pid, same member id)",
        async () => {
          const row = (await memberRows(t.db, server)).find((r) => r.id === victim.id);
          return row?.state === "running" && row.pid !== victim.pid && row.memberId === victim.memberId;
        },
        // Restart backoff, etcd 3.4's publish retry (a restarted member may serve clients only after ~10 s) and
        // heartbeats: ~15 s on a quiet machine; a clean-clone CI run at load 9 took over 30 s.
        60_000,
      );
    } finally {
      load.stop();
      a.close();
    }
    expect(written).toHaveLength(100);
    expect(await votingMembers(t.db, server)).toHaveLength(3);
    // Every acknowledged key is on the restarted member itself (asked alone), not only on the others.
    const target = await endpointsOf(t.db, server);
    const row = (await memberRows(t.db, server)).find((r) => r.id === victim.id)!;
    const alone = environmentClient({ ...target, endpoints: [`https://${row.host!.address}:${row.port}`] }, prod!.id, prod!.credential);
    try {
      const keys = (await alone.getAll().prefix(prefix).keys()).map((k) => k.slice(prefix.length));
      for (const key of written) expect(keys).toContain(key);
    } finally {
      alone.close();
    }
  }, 120_000);
});
