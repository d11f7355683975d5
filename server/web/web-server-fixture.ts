import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { DEMO_USERS } from "../../prisma/demo-data";
import { seedDemo } from "../../prisma/seed";
import { callerAs } from "../testing/callers";
import { createTestDatabase, type TestDatabase } from "../testing/db";
import { attachChangeFeed, ChangeFeed } from "../db/change-feed";
import { createPrismaClient, type Db } from "../db/client";
import { createWebHandler } from "./handler";

/**
 * What web-server.int.test.ts and web-server-feed.int.test.ts share: the web
 * server's own path (server/web/handler.ts) on a real HTTP port, over a seeded
 * test database with the change feed caching reads, a second Prisma client
 * standing for another process, and alice's API token.
 */
export let t: TestDatabase;
export let other: Db; // "another process": its writes reach this app only through Postgres
export let feed: ChangeFeed;
export let server: Server;
export let base: string;
export let token: string;
export let aliceId: string;
export let acmeId: string;
export let zoneId: string;

/** Registers the hooks that start the web server on a seeded database (and stop it); the bindings above are set by then. */
export function startWebServerForTests(): void {
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
}

export const get = (procedure: string, input: unknown, headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
  fetch(`${base}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers });
export const post = (procedure: string, input: unknown) =>
  fetch(`${base}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ json: input }),
  });
export const data = async (res: Response) => ((await res.json()) as { result: { data: { json: never } } }).result.data.json;
export const listNames = async () =>
  ((await data(await get("environment.list", { limit: 100 }))) as { items: { name: string }[] }).items.map((e) => e.name).sort();
