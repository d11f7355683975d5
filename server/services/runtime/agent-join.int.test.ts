import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleHeartbeat, handleJoin } from "../../agent-api/handlers";
import { serveAgentApi, type AgentApiServer } from "../../agent-api/http-server";
import { createTestDatabase, type TestDatabase } from "../../testing/db";
import { ProcessFleet, until } from "../../testing/process-fleet";
import { createWorld, joinTokens, type World } from "../../testing/runtime-fixtures";

/**
 * Join is idempotent for the agent that joined: an agent whose join answer was
 * lost retries with the same token and install key and ends joined (same host,
 * fresh credential), never refused with "join token already used".
 */
let t: TestDatabase;
let world: World;

const post = (handler: typeof handleJoin, body: unknown, credential?: string) =>
  handler(
    t.db,
    new Request("http://app/api/agent", {
      method: "POST",
      headers: { "content-type": "application/json", ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
      body: JSON.stringify(body),
    }),
  );
const joinBody = (token: string, name: string, installKey?: string) => ({
  joinToken: token,
  name,
  failureDomain: "az-1",
  cpuMillis: 4000,
  memoryMiB: 8192,
  ...(installKey ? { installKey } : {}),
});
const beat = { cpuMillis: 4000, memoryMiB: 8192, replicas: [] };
type Joined = { hostId: string; credential: string };

beforeAll(async () => {
  t = await createTestDatabase();
  world = await createWorld(t.db, { zoneName: "join", tenantSlug: "join", servers: [] });
});
afterAll(async () => t?.drop());

describe("join retried by the same agent", () => {
  it("answers the same host with a fresh credential; the lost one stops working", async () => {
    const [token] = await joinTokens(t.db, world.zoneId, 1);
    const first = await post(handleJoin, joinBody(token!, "retry-a", "install-key-aaaaaaaa"));
    expect(first.status).toBe(200);
    const lost = (await first.json()) as Joined;
    const retry = await post(handleJoin, joinBody(token!, "retry-a", "install-key-aaaaaaaa"));
    expect(retry.status).toBe(200);
    const joined = (await retry.json()) as Joined;
    expect(joined.hostId).toBe(lost.hostId);
    expect(joined.credential).not.toBe(lost.credential);
    expect((await post(handleHeartbeat, beat, lost.credential)).status).toBe(401);
    expect((await post(handleHeartbeat, beat, joined.credential)).status).toBe(200);
    expect(await t.db.host.count({ where: { name: "retry-a" } })).toBe(1);
    expect(await t.db.auditEvent.count({ where: { action: "host.rejoin", targetId: lost.hostId } })).toBe(1);
  });

  it("still refuses a used token with another install key, none, another name, or for a revoked host", async () => {
    const [token] = await joinTokens(t.db, world.zoneId, 1);
    const joined = (await (await post(handleJoin, joinBody(token!, "retry-b", "install-key-bbbbbbbb"))).json()) as Joined;
    for (const replay of [
      joinBody(token!, "retry-b", "install-key-someone-else"),
      joinBody(token!, "retry-b"),
      joinBody(token!, "retry-b2", "install-key-bbbbbbbb"),
    ]) {
      const res = await post(handleJoin, replay);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe("Join token already used");
    }
    await t.db.host.update({ where: { id: joined.hostId }, data: { credentialRevokedAt: new Date() } });
    expect((await post(handleJoin, joinBody(token!, "retry-b", "install-key-bbbbbbbb"))).status).toBe(401);
    expect(await t.db.host.count({ where: { name: { startsWith: "retry-b" } } })).toBe(1);
  });

  describe("a real agent whose first join answer is lost on the way back", () => {
    let api: AgentApiServer;
    let proxy: Server;
    let fleet: ProcessFleet;
    let joinsSeen = 0;

    beforeAll(async () => {
      api = await serveAgentApi(t.db, 0);
      const apiPort = (api.address() as AddressInfo).port;
      // Forwards every request to the real agent API; the first join's answer is dropped (the agent sees a reset connection).
      proxy = createServer((req, res) => {
        const dropAnswer = req.url === "/api/agent/join" && joinsSeen++ === 0;
        const upstream = httpRequest(
          { host: "127.0.0.1", port: apiPort, path: req.url, method: req.method, headers: req.headers },
          (answer) => {
            if (dropAnswer) {
              answer.resume();
              answer.on("end", () => res.socket?.destroy());
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        req.pipe(upstream);
      });
      await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
      fleet = new ProcessFleet({});
    });
    afterAll(async () => {
      await fleet?.dispose();
      await new Promise((r) => proxy?.close(r));
      await new Promise((r) => api?.close(r));
    });

    it("retries and ends joined and heartbeating", async () => {
      const [token] = await joinTokens(t.db, world.zoneId, 1);
      const controller = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      fleet.agent("lost-answer", { controller, token, failureDomain: "az-1", ports: "42000-42099" });
      const host = await until(
        "the agent heartbeating after its retried join",
        async () => {
          const h = await t.db.host.findUnique({ where: { name: "lost-answer" } });
          return h && h.lastHeartbeatAt && h.lastHeartbeatAt > h.createdAt ? h : undefined;
        },
        30_000,
      );
      expect(joinsSeen).toBe(2);
      expect(host.state).toBe("ready");
      expect(fleet.output("agent:lost-answer")).not.toContain("join refused");
      expect(await t.db.auditEvent.count({ where: { action: "host.rejoin", targetId: host.id } })).toBe(1);
    });
  });
});
