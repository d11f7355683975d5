import { createBrowserSession } from "../auth/browser-sessions";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../prisma/demo-data";
import { seedDemo } from "../../prisma/seed";
import { callerAs } from "../testing/callers";
import { createTestDatabase, type TestDatabase } from "../testing/db";
import { attachChangeFeed, ChangeFeed } from "../db/change-feed";
import { rowKey } from "../db/feed-keys";
import { createPrismaClient, type Db } from "../db/client";
import { authSecret } from "../env";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter } from "../api/root";
import { createContextInner } from "../api/trpc";
import { sessionFromHeaders } from "../auth/request-session";
import { createWebHandler } from "./handler";

/**
 * The web server's own path (server/web/handler.ts) over real HTTP against a
 * real database, with the change feed caching reads: every write made by
 * another client (another app process, the controller, psql) must show on the
 * next read once Postgres has notified it; a write through the app at once.
 */
let t: TestDatabase;
let other: Db; // "another process": its writes reach this app only through Postgres
let feed: ChangeFeed;
let server: Server;
let base: string;
let token: string;
let aliceId: string;
let acmeId: string;
let zoneId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
  other = createPrismaClient(t.url, 2);
  feed = new ChangeFeed(t.url);
  await feed.start();
  attachChangeFeed(t.db, feed);
  const handler = createWebHandler({ db: t.db, metrics: async () => ({ contentType: "text/plain", body: "statehouse_up 1\n" }) });
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const alice = await callerAs(t.db, DEMO_USERS.user.email);
  token = (await alice.account.createToken({ name: "web test" })).token;
  aliceId = (await t.db.user.findUniqueOrThrow({ where: { email: DEMO_USERS.user.email } })).id;
  acmeId = (await t.db.tenant.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  zoneId = (await t.db.securityZone.findUniqueOrThrow({ where: { name: "shared-east" } })).id;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await feed.stop();
  await other.$disconnect();
  await t.drop();
});

const get = (procedure: string, input: unknown, headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
  fetch(`${base}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers });
const post = (procedure: string, input: unknown) =>
  fetch(`${base}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ json: input }),
  });
const data = async (res: Response) => ((await res.json()) as { result: { data: { json: never } } }).result.data.json;
const listNames = async () =>
  ((await data(await get("environment.list", { limit: 100 }))) as { items: { name: string }[] }).items.map((e) => e.name).sort();

describe("web server", () => {
  it("answers tRPC with the security headers, health, metrics, and 404 for the rest (no Next.js here)", async () => {
    const me = await get("session.me", undefined);
    expect(me.status).toBe(200);
    expect(((await data(me)) as { email: string }).email).toBe(DEMO_USERS.user.email);
    for (const h of ["content-security-policy", "x-content-type-options", "x-frame-options"]) expect(me.headers.get(h)).toBeTruthy();
    expect(me.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    expect(await (await fetch(`${base}/api/metrics`)).text()).toContain("statehouse_up 1");
    expect((await fetch(`${base}/environments`)).status).toBe(404);
  });

  it("hands everything else to Next.js with X-Forwarded-For pinned to the peer unless TRUST_PROXY=1", async () => {
    // Next.js's place taken by a handler that answers with the client address it would see (sign-in rate limits key on it).
    const echo = createWebHandler({
      db: t.db,
      metrics: async () => ({ contentType: "text/plain", body: "" }),
      next: (req, res) => void res.end(String(req.headers["x-forwarded-for"])),
    });
    const echoServer = createServer((req, res) => void echo(req, res));
    await new Promise<void>((r) => echoServer.listen(0, "127.0.0.1", r));
    try {
      const seen = async () =>
        (
          await fetch(`http://127.0.0.1:${(echoServer.address() as AddressInfo).port}/sign-in`, {
            headers: { "x-forwarded-for": "203.0.113.9" },
          })
        ).text();
      expect(await seen()).toMatch(/127\.0\.0\.1$/);
      process.env.TRUST_PROXY = "1";
      expect(await seen()).toBe("203.0.113.9");
    } finally {
      delete process.env.TRUST_PROXY;
      await new Promise((r) => echoServer.close(r));
    }
  });

  it("reads the next-auth session cookie, and refuses a forged or expired one", async () => {
    // As at sign-in (server/auth/options.ts): the cookie names a live BrowserSession.
    const sid = await createBrowserSession(t.db, aliceId, 3600);
    const jwt = await encode({ token: { sub: aliceId, sid }, secret: authSecret() });
    const me = await get("session.me", undefined, { cookie: `other=1; next-auth.session-token=${jwt}` });
    expect(((await data(me)) as { id: string }).id).toBe(aliceId);
    expect((await get("session.me", undefined, { cookie: `next-auth.session-token=${jwt.slice(0, -4)}AAAA` })).status).toBe(401);
    const expired = await encode({ token: { sub: aliceId, sid }, secret: authSecret(), maxAge: -10 });
    expect((await get("session.me", undefined, { cookie: `next-auth.session-token=${expired}` })).status).toBe(401);
  });

  it("answers single GET queries exactly as tRPC's standard adapter does (the fast path), errors included", async () => {
    const standard = createHTTPHandler({
      router: appRouter,
      basePath: "/api/trpc/",
      createContext: async ({ req }) => {
        const h = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])));
        return createContextInner({ db: t.db, session: await sessionFromHeaders(t.db, h), headers: h });
      },
    });
    const plain = createServer((req, res) => standard(req, res));
    await new Promise<void>((r) => plain.listen(0, "127.0.0.1", r));
    try {
      const env = await t.db.environment.findFirst({ where: { tenantId: acmeId } });
      const globex = await t.db.tenant.findUniqueOrThrow({ where: { slug: "globex" } });
      const auth = { authorization: `Bearer ${token}` };
      const cases: [string, string, Record<string, string>][] = [
        ["session.me", "", auth],
        ["session.me", "", {}],
        ["environment.list", `input=${encodeURIComponent(JSON.stringify({ json: { limit: 2 } }))}`, auth],
        ["environment.list", `input=${encodeURIComponent(JSON.stringify({ json: { limit: -1 } }))}`, auth],
        ["environment.list", "input=%7Bnot-json", auth],
        ["environment.get", `input=${encodeURIComponent(JSON.stringify({ json: { id: env?.id ?? "x" } }))}`, auth],
        ["environment.get", `input=${encodeURIComponent(JSON.stringify({ json: { id: "does-not-exist" } }))}`, auth],
        ["environment.get", `input=${encodeURIComponent(JSON.stringify({ json: { id: 42 } }))}`, auth],
        ["tenant.get", `input=${encodeURIComponent(JSON.stringify({ json: { tenantId: globex.id } }))}`, auth],
        ["tenant.list", "", auth],
        ["environment.create", "", auth],
        ["no.such.procedure", "", auth],
      ];
      for (const [path, search, headers] of cases) {
        const call = (origin: string) => fetch(`${origin}/api/trpc/${path}?${search}`, { headers });
        const [fast, slow] = await Promise.all([call(base), call(`http://127.0.0.1:${(plain.address() as AddressInfo).port}`)]);
        expect(fast.status, `${path}?${search}`).toBe(slow.status);
        expect(fast.headers.get("content-type")).toBe(slow.headers.get("content-type"));
        expect(await fast.json(), `${path}?${search}`).toEqual(await slow.json());
      }
    } finally {
      await new Promise((r) => plain.close(r));
    }
  });

  it("refuses bad input with a 400 naming the field", async () => {
    const res = await get("environment.list", { limit: -1 });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("limit");
  });

  it("shows a write through the app on the very next read", async () => {
    expect(await listNames()).toEqual([]);
    const created = await post("environment.create", { tenantId: acmeId, name: "feed-a", stage: "development", haLevel: 1, zoneId });
    expect(created.status).toBe(200);
    expect(await listNames()).toEqual(["feed-a"]);
  });

  it("shows another process's write once Postgres notifies it, and serves from memory until then", async () => {
    const env = await t.db.environment.findFirstOrThrow({ where: { name: "feed-a" } });
    const detail = async () => (await data(await get("environment.get", { id: env.id }))) as { name: string };
    expect((await detail()).name).toBe("feed-a");
    // Served from memory: a change that bypasses the triggers (so never notified) is not seen...
    await other.$executeRawUnsafe(`ALTER TABLE "Environment" DISABLE TRIGGER "Environment_change"`);
    await other.environment.update({ where: { id: env.id }, data: { name: "feed-silent" } });
    await other.$executeRawUnsafe(`ALTER TABLE "Environment" ENABLE TRIGGER "Environment_change"`);
    expect((await detail()).name).toBe("feed-a");
    expect(await listNames()).toEqual(["feed-a"]);
    // ...and a notified change is, on the first read after the notification.
    const notified = feed.nextChange("Environment");
    await other.environment.update({ where: { id: env.id }, data: { name: "feed-b" } });
    await notified;
    expect((await detail()).name).toBe("feed-b");
    expect(await listNames()).toEqual(["feed-b"]);
  });

  it("has heard every change committed before sync() returns (how a write through the app is read back)", async () => {
    const env = await t.db.environment.findFirstOrThrow({ where: { tenantId: acmeId } });
    for (let i = 0; i < 5; i++) {
      const mark = feed.mark()!;
      await other.environment.update({ where: { id: env.id }, data: { statusReason: `sync ${i}` } });
      await feed.sync();
      expect(feed.unchangedSince([rowKey("Environment", "id", env.id)], mark)).toBe(false);
    }
  });

  it("keeps an environment's cached page through changes to other environments, and drops it on its own", async () => {
    const env = await t.db.environment.findFirstOrThrow({ where: { tenantId: acmeId } });
    const globex = await t.db.tenant.findUniqueOrThrow({ where: { slug: "globex" } });
    const elsewhere = feed.nextChange("Environment");
    const otherEnv = await other.environment.create({
      data: { tenantId: globex.id, name: "feed-globex", stage: "development", haLevel: 1, credentialSealed: "" },
    });
    await elsewhere;
    const detail = async () => ((await data(await get("environment.get", { id: env.id }))) as { name: string }).name;
    const before = await detail();
    // A change that is never notified, so the cached page cannot know of it...
    await other.$executeRawUnsafe(`ALTER TABLE "Environment" DISABLE TRIGGER "Environment_change"`);
    await other.environment.update({ where: { id: env.id }, data: { name: "feed-unseen" } });
    await other.$executeRawUnsafe(`ALTER TABLE "Environment" ENABLE TRIGGER "Environment_change"`);
    // ...then notified changes naming other rows (another environment, its audit events): the page stays cached.
    const renamed = feed.nextChange("Environment");
    await other.environment.update({ where: { id: otherEnv.id }, data: { name: "feed-globex-2" } });
    await renamed;
    expect(await detail()).toBe(before);
    // The environment list reads the whole table: it is read again.
    expect(await listNames()).toEqual(["feed-unseen"]);
    // A change naming this environment drops its page.
    const own = feed.nextChange("Environment");
    await other.environment.update({ where: { id: env.id }, data: { name: "feed-own" } });
    await own;
    expect(await detail()).toBe("feed-own");
    await other.environment.delete({ where: { id: otherEnv.id } });
  });

  it("drops a revoked token and a disabled user as soon as the change is notified", async () => {
    const revokedToken = (await (await callerAs(t.db, DEMO_USERS.user.email)).account.createToken({ name: "to revoke" })).token;
    const me = (tok: string) => get("session.me", undefined, { authorization: `Bearer ${tok}` });
    expect((await me(revokedToken)).status).toBe(200);
    const revoked = feed.nextChange("ApiToken");
    await other.apiToken.updateMany({ where: { name: "to revoke" }, data: { revokedAt: new Date() } });
    await revoked;
    expect((await me(revokedToken)).status).toBe(401);

    expect((await me(token)).status).toBe(200);
    const disabled = feed.nextChange("User");
    await other.user.update({ where: { id: aliceId }, data: { disabledAt: new Date() } });
    await disabled;
    expect((await me(token)).status).toBe(401);
    const enabled = feed.nextChange("User");
    await other.user.update({ where: { id: aliceId }, data: { disabledAt: null } });
    await enabled;
    expect((await me(token)).status).toBe(200);
  });

  it("does not notify for heartbeat-only host updates or token use, and does for real host changes", async () => {
    const created = feed.nextChange("Host");
    const host = await other.host.create({
      data: {
        name: "feed-host",
        zoneId,
        failureDomain: "fd-1",
        address: "127.0.0.1",
        cpuMillis: 1000,
        memoryMiB: 1024,
        maxReplicas: 4,
        state: "ready",
      },
    });
    await created;
    let notified = 0;
    const counting = () => void feed.nextChange("Host").then(() => notified++);
    counting();
    await other.host.update({ where: { id: host.id }, data: { lastHeartbeatAt: new Date() } });
    await other.apiToken.updateMany({ where: { name: "web test" }, data: { lastUsedAt: new Date() } });
    // A notified change on another table after them: notifications arrive in commit order.
    const marker = feed.nextChange("SecurityZone");
    await other.securityZone.update({ where: { id: zoneId }, data: { description: "touched" } });
    await marker;
    expect(notified).toBe(0);
    await other.host.update({ where: { id: host.id }, data: { state: "cordoned" } });
    await new Promise((r) => setTimeout(r, 200));
    expect(notified).toBe(1);
  });

  it("serves the placement map gzipped once per version, 304 to a matching ETag, and only to support and admins", async () => {
    const supportToken = (await (await callerAs(t.db, DEMO_USERS.support.email)).account.createToken({ name: "map" })).token;
    const map = (headers: Record<string, string> = {}, query = "") =>
      fetch(`${base}/api/placement/map${query}`, {
        headers: { authorization: `Bearer ${supportToken}`, "accept-encoding": "gzip", ...headers },
      });
    // Enough hosts for a map worth gzipping (from 1 KiB).
    const grown = feed.nextChange("Host");
    await other.host.createMany({
      data: Array.from({ length: 12 }, (_, i) => ({
        name: `map-host-${i}`,
        zoneId,
        failureDomain: `fd-${i % 3}`,
        address: "127.0.0.1",
        cpuMillis: 1000,
        memoryMiB: 1024,
      })),
    });
    await grown;
    const first = await map();
    expect(first.status).toBe(200);
    expect(first.headers.get("content-encoding"), `content-length ${first.headers.get("content-length")}`).toBe("gzip");
    expect(first.headers.get("x-frame-options")).toBe("DENY");
    const body = (await first.json()) as { version: string; hosts: { name: string[] } };
    expect(body.hosts.name).toContain("feed-host");
    const etag = first.headers.get("etag")!;
    expect(etag).toBe(`"${body.version}"`);
    const again = await map({ "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const changed = feed.nextChange("Host");
    await other.host.update({ where: { name: "feed-host" }, data: { state: "draining" } });
    await changed;
    const after = await map({ "if-none-match": etag });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    const identity = await map({ "accept-encoding": "identity" });
    expect(identity.headers.get("content-encoding")).toBeNull();
    expect(((await identity.json()) as { version: string }).version).toBe(after.headers.get("etag")!.slice(1, -1));
    expect((await map({}, "?asOf=2026-01-01T00:00:00Z")).status).toBe(200);
    const bad = await map({}, "?asOf=yesterday");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^asOf:/);
    expect((await fetch(`${base}/api/placement/map`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
    expect((await fetch(`${base}/api/placement/map`)).status).toBe(401);
  });

  it("comes back by itself when Postgres drops its connection, and serves nothing stale from before the gap", async () => {
    const env = await t.db.environment.findFirstOrThrow({ where: { tenantId: acmeId } });
    await listNames(); // cached
    await other.$executeRawUnsafe(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'statehouse-change-feed' AND datname = current_database()`,
    );
    await expect.poll(() => feed.mark(), { interval: 10 }).toBeNull();
    // While it is down, reads go to Postgres: a change made now (never notified to this feed) shows at once.
    await other.environment.update({ where: { id: env.id }, data: { name: "feed-gap" } });
    expect(await listNames()).toEqual(["feed-gap"]);
    // Back within a few seconds, caching again: the silent change below is not seen until notified.
    await expect.poll(() => feed.mark(), { timeout: 10_000 }).not.toBeNull();
    expect(await listNames()).toEqual(["feed-gap"]);
    await other.$executeRawUnsafe(`ALTER TABLE "Environment" DISABLE TRIGGER "Environment_change"`);
    await other.environment.update({ where: { id: env.id }, data: { name: "feed-silent-2" } });
    await other.$executeRawUnsafe(`ALTER TABLE "Environment" ENABLE TRIGGER "Environment_change"`);
    expect(await listNames()).toEqual(["feed-gap"]);
    const notified = feed.nextChange("Environment");
    await other.environment.update({ where: { id: env.id }, data: { name: "feed-back" } });
    await notified;
    expect(await listNames()).toEqual(["feed-back"]);
  });

  it("reads straight from Postgres while the change feed is down", async () => {
    await feed.stop();
    try {
      const env = await t.db.environment.findFirstOrThrow({ where: { tenantId: acmeId } });
      await other.environment.update({ where: { id: env.id }, data: { name: "feed-c" } });
      expect(await listNames()).toEqual(["feed-c"]);
    } finally {
      await feed.start();
    }
  });
});
