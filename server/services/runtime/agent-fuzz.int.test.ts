/**
 * Fuzzing the agent endpoints (join, heartbeat): fast-check breaks one thing in
 * a valid payload, or sends garbage bodies and credentials. Every answer is 200
 * or a 4xx with `{error: {code, message}}`; never a 5xx (the handlers answer
 * 503 for an unexpected error, so a 5xx here is a bug). In-process through the
 * handlers, and a sample over real HTTP through serveAgentApi.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/db";
import { describeInput, fuzzRuns, mutatedInput, nastyString } from "../../testing/fuzz/arbitraries";
import { handleHeartbeat, handleJoin } from "../../agent-api/handlers";
import { createWorld, joinTokens, type World } from "../../testing/runtime-fixtures";
import { serveAgentApi } from "../../agent-api/http-server";

let t: TestDatabase;
let world: World;
/** Hosts to heartbeat as, taken in turn so no one host hits its rate limit. */
const hosts: { hostId: string; credential: string }[] = [];
let replicaOfOther: string;
let nextHost = 0;
let address = 0;

type Handler = (request: Request) => Promise<Response>;
const join: Handler = (r) => handleJoin(t.db, r);
const heartbeat: Handler = (r) => handleHeartbeat(t.db, r);

function request(body: unknown, headers: Record<string, string> = {}) {
  return new Request("http://app/api/agent", {
    method: "POST",
    // A fresh client address each time: the join limiter is per address.
    headers: { "content-type": "application/json", "x-forwarded-for": `10.9.${address >> 8}.${address++ & 255}`, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v)),
  });
}

/** A problem with an answer, or undefined when it is a success or a clear rejection. */
async function badAnswer(response: Response): Promise<string | undefined> {
  const text = await response.text();
  if (response.status >= 500) return `status ${response.status}: ${text.slice(0, 300)}`;
  if (response.status === 200) return undefined;
  let body: { error?: { code?: string; message?: string } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return `status ${response.status} without a JSON body`;
  }
  const message = body.error?.message ?? "";
  if (!body.error?.code || !message.trim()) return `status ${response.status} without an error code and message: ${text.slice(0, 200)}`;
  if (message.length > 2000 || /\n\s+at |prisma|invalid `/i.test(message)) return `unclear message: ${message.slice(0, 300)}`;
  return undefined;
}

const joinBody = (token: string) => ({
  joinToken: token,
  name: `fz-${address}`,
  failureDomain: "az-1",
  cpuMillis: 4000,
  memoryMiB: 8192,
  maxReplicas: 4,
  address: "10.0.0.1",
});
const beatBody = () => ({
  cpuMillis: 4000,
  memoryMiB: 8192,
  replicas: [{ id: replicaOfOther, state: "running", clientPort: 42_001, peerPort: 42_002, pid: 1234, restarts: 0, error: "none" }],
});

beforeAll(async () => {
  t = await createTestDatabase();
  world = await createWorld(t.db, {
    zoneName: "fuzz",
    tenantSlug: "fuzz",
    servers: [{ name: "fz1", replicas: 1, environments: [{ name: "pool", stage: "production", isHostPool: true }] }],
  });
  for (const token of await joinTokens(t.db, world.zoneId, 12)) {
    const res = await join(request({ ...joinBody(token), name: `host-${hosts.length}` }));
    hosts.push((await res.json()) as (typeof hosts)[number]);
  }
  const other = await t.db.host.create({
    data: { name: "other", zoneId: world.zoneId, failureDomain: "az-9", cpuMillis: 4000, memoryMiB: 8192 },
  });
  replicaOfOther = (
    await t.db.replica.create({ data: { stateServerId: world.servers[0]!.id, ordinal: 0, hostId: other.id, state: "scheduled" } })
  ).id;
});
afterAll(async () => t?.drop());

const headerValue = fc.oneof(
  fc.constantFrom(
    "",
    "Bearer",
    "Bearer ",
    "Bearer host_",
    "bearer host_x",
    `Bearer ${"h".repeat(10_000)}`,
    "Basic YWRtaW46YWRtaW4=",
    "Bearer sht_x",
  ),
  fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 }).map((s) => `Bearer ${s}`),
);
const rawBody = fc.oneof(
  fc.constantFrom(
    "",
    "{",
    "null",
    "[]",
    "1",
    '"x"',
    "{}",
    "x".repeat(70 * 1024),
    `{"a":${"[".repeat(5000)}`,
    '{"__proto__":{"admin":true}}',
  ),
  nastyString,
);

describe("fuzzing the agent endpoints", () => {
  it("join: bad payloads are clear rejections below 500", async () => {
    const problems: string[] = [];
    const tokens = await joinTokens(t.db, world.zoneId, 3);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          mutatedInput(joinBody(tokens[0]!), [world.environments[0]!.credential, tokens[1]!, hosts[0]!.credential]),
          rawBody.map((b) => ({ kind: "raw", path: [], input: b })),
        ),
        async (m) => {
          const problem = await badAnswer(await join(request(m.input)));
          if (problem) problems.push(`join ${m.kind} at ${m.path.join(".") || "body"} = ${describeInput(m.input)}: ${problem}`);
        },
      ),
      { numRuns: fuzzRuns(150) },
    );
    expect(problems).toEqual([]);
  });

  it("heartbeat: bad payloads and credentials are clear rejections below 500", async () => {
    const problems: string[] = [];
    const otherIds = [replicaOfOther, world.servers[0]!.id, world.environments[0]!.id, hosts[0]!.hostId, "does-not-exist"];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          mutatedInput(beatBody(), otherIds),
          rawBody.map((b) => ({ kind: "raw", path: [], input: b })),
        ),
        fc.option(headerValue, { freq: 4 }),
        async (m, authorization) => {
          const host = hosts[nextHost++ % hosts.length]!;
          const res = await heartbeat(request(m.input, { authorization: authorization ?? `Bearer ${host.credential}` }));
          const problem = await badAnswer(res);
          if (problem)
            problems.push(
              `heartbeat ${m.kind} at ${m.path.join(".") || "body"} = ${describeInput(m.input)} (auth ${describeInput(authorization ?? "valid")}): ${problem}`,
            );
        },
      ),
      // Each host takes its turn: 12 hosts stay within the 10/s, burst 20, per-host limit.
      { numRuns: fuzzRuns(200), interruptAfterTimeLimit: 20_000 },
    );
    expect(problems).toEqual([]);
    // Nothing a rejected report said reached the other host's replica.
    expect((await t.db.replica.findUniqueOrThrow({ where: { id: replicaOfOther } })).state).toBe("scheduled");
  });

  it("over real HTTP (serveAgentApi), a sample of bad requests is answered below 500", async () => {
    const server = await serveAgentApi(t.db, 0);
    const port = (server.address() as { port: number }).port;
    try {
      const problems: string[] = [];
      const samples = fc.sample(fc.tuple(fc.constantFrom("/api/agent/join", "/api/agent/heartbeat"), rawBody, fc.option(headerValue)), {
        numRuns: fuzzRuns(30),
        seed: 8,
      });
      for (const [path, body, authorization] of samples) {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-forwarded-for": `10.8.0.${address++ & 255}`,
            ...(authorization ? { authorization } : {}),
          },
          body,
        });
        const problem = await badAnswer(res);
        if (problem) problems.push(`${path} ${describeInput(body)}: ${problem}`);
      }
      expect(problems).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
  it("over real HTTP, a made-up X-Forwarded-For does not escape the join rate limit (TRUST_PROXY unset)", async () => {
    const server = await serveAgentApi(t.db, 0);
    const port = (server.address() as { port: number }).port;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/api/agent/join`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.${i}` },
          body: JSON.stringify({
            token: `join_${i}`,
            name: `spoof-${i}`,
            zone: "z",
            failureDomain: "fd",
            cpuMillis: 1000,
            memoryMiB: 1024,
          }),
        });
        statuses.push(res.status);
      }
      expect(statuses).toContain(429);
      expect(statuses.every((s) => s < 500)).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
