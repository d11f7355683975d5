import { describe, expect, it } from "vitest";
import { createBrowserSession } from "../auth/browser-sessions";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import { DEMO_USERS } from "../../prisma/demo-data";
import { authSecret } from "../env";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter } from "../api/root";
import { createContextInner } from "../api/trpc";
import { sessionFromHeaders } from "../auth/request-session";
import { createWebHandler } from "./handler";
import { aliceId, acmeId, base, data, get, t, token, startWebServerForTests } from "./web-server-fixture";

/** The web server's own path (server/web/handler.ts) over real HTTP: tRPC, sessions, the fast GET path, bad input. */
startWebServerForTests();

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
});
