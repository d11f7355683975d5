import { describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../prisma/demo-data";
import { callerAs } from "../testing/callers";
import { rowKey } from "../db/feed-keys";
import {
  aliceId,
  acmeId,
  base,
  data,
  feed,
  get,
  listNames,
  other,
  post,
  t,
  token,
  startWebServerForTests,
  zoneId,
} from "./web-server-fixture";

/**
 * The web server with the change feed caching reads: every write made by
 * another client (another app process, the controller, psql) must show on the
 * next read once Postgres has notified it; a write through the app at once.
 */
startWebServerForTests();

describe("web server reads through the change feed", () => {
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
