import { spawn, type ChildProcess } from "node:child_process";
import { Agent, request } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/db";
import { createWorld, joinTokens, type World } from "../../testing/runtime-fixtures";
import { PROJECT_DIR, until } from "../../testing/process-fleet";
import { onFreePort } from "../../testing/ports";

/**
 * The agent API process (`npm run agent-api`, server/agent-api/main.ts) started
 * for real: /healthz, an agent joins and heartbeats through it (the second beat
 * takes the steady one-UPDATE path), and SIGTERM stops it cleanly (exit 0, with
 * a keep-alive connection open). Once with one process, once with two cluster
 * workers.
 */
let t: TestDatabase;
let world: World;
const started: ChildProcess[] = [];

function startAgentApi(port: number, workers: number) {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT_DIR, "server", "agent-api", "main.ts")], {
    cwd: PROJECT_DIR,
    env: {
      ...process.env,
      DATABASE_URL: t.url,
      AGENT_API_PORT: String(port),
      AGENT_API_WORKERS: String(workers),
      LOG_LEVEL: "info",
      NODE_ENV: "production",
      STATEHOUSE_EXIT_WITH_PARENT: String(process.pid),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout!.on("data", (b: Buffer) => output.push(b.toString("utf8")));
  child.stderr!.on("data", (b: Buffer) => output.push(b.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  started.push(child);
  return { child, output, exited };
}

/** One HTTP call on a keep-alive socket pool (so SIGTERM meets an open connection). */
function call(sockets: Agent, port: number, method: string, route: string, body?: unknown, credential?: string) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: route,
        method,
        agent: sockets,
        headers: {
          ...(text ? { "content-type": "application/json", "content-length": Buffer.byteLength(text) } : {}),
          ...(credential ? { authorization: `Bearer ${credential}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, body: raw ? (JSON.parse(raw) as unknown) : null });
        });
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  world = await createWorld(t.db, { zoneName: "aapi", tenantSlug: "aapi", servers: [] });
});
afterAll(async () => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await t?.drop();
});

describe.each([{ workers: 1 }, { workers: 2 }])("agent API process ($workers worker(s))", ({ workers }) => {
  it("serves /healthz, a join and heartbeats, and stops cleanly on SIGTERM", async () => {
    // A free port, and another one if a process elsewhere on the machine took it before the bind.
    const { api, port } = await onFreePort(async (port) => {
      const api = startAgentApi(port, workers);
      const listening = until("agent API listening", async () => api.output.join("").includes('"msg":"agent API listening"'), 30_000, 100);
      if (!(await Promise.race([listening.then(() => true), api.exited.then(() => false)]))) {
        throw new Error(`the agent API exited: ${api.output.join("")}`);
      }
      return { api, port };
    });
    const sockets = new Agent({ keepAlive: true, maxSockets: 4 });
    try {
      await until(
        "agent API healthy",
        async () => (await call(sockets, port, "GET", "/healthz").catch(() => ({ status: 0 }))).status === 200,
        30_000,
        100,
      );
      expect((await call(sockets, port, "GET", "/healthz")).body).toEqual({ status: "ok" });
      expect((await call(sockets, port, "GET", "/api/agent/heartbeat")).status).toBe(404);

      const token = (await joinTokens(t.db, world.zoneId, 1))[0]!;
      const name = `proc-${workers}`;
      const joined = await call(sockets, port, "POST", "/api/agent/join", {
        joinToken: token,
        name,
        failureDomain: "az-1",
        cpuMillis: 4000,
        memoryMiB: 8192,
      });
      expect(joined.status).toBe(200);
      const { hostId, credential } = joined.body as { hostId: string; credential: string };
      expect(credential).toMatch(/^host_/);

      const before = new Date();
      for (const cpuMillis of [3000, 3500, 3700]) {
        const beat = await call(sockets, port, "POST", "/api/agent/heartbeat", { cpuMillis, memoryMiB: 8192, replicas: [] }, credential);
        expect(beat.status).toBe(200);
        expect(beat.body).toMatchObject({ host: { state: "ready" }, desired: [] });
      }
      const host = await t.db.host.findUniqueOrThrow({ where: { id: hostId } });
      expect(host.name).toBe(name);
      expect(host.cpuMillis).toBe(3700);
      expect(host.lastHeartbeatAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);

      // Same validation as the Next.js route: a bad credential is 401, a bad payload 400, an oversized one 413.
      expect(
        (await call(sockets, port, "POST", "/api/agent/heartbeat", { cpuMillis: 1, memoryMiB: 1, replicas: [] }, "host_unknown")).status,
      ).toBe(401);
      expect((await call(sockets, port, "POST", "/api/agent/heartbeat", { cpuMillis: "x" }, credential)).status).toBe(400);
      expect((await call(sockets, port, "POST", "/api/agent/heartbeat", { pad: "x".repeat(200_000) }, credential)).status).toBe(413);

      const stopAt = Date.now();
      api.child.kill("SIGTERM");
      const exit = await api.exited;
      expect(exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - stopAt).toBeLessThan(5000);
      const logs = api.output.join("");
      expect(logs).toContain('"msg":"agent API listening"');
      expect(logs).toContain('"msg":"agent API stopped"');
      expect(logs).not.toContain('"level":50');
      await expect(call(new Agent(), port, "GET", "/healthz")).rejects.toThrow();
    } finally {
      sockets.destroy();
    }
  }, 60_000);
});
