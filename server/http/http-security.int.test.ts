/**
 * The outside probe's HTTP findings, over real HTTP against the web server's
 * handler with next-auth's real sign-in and sign-out (server/testing/app-server.ts):
 * sessions end on the server (finding 2), writes from a foreign origin are
 * refused (finding 4), and oversized bodies are refused with 413 before they
 * are read (finding 5), on tRPC, route handlers and the agent API alike.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_EXTRA_USERS, DEMO_PASSWORD, DEMO_USERS } from "../../prisma/demo-data";
import { serveAgentApi, type AgentApiServer } from "../agent-api/http-server";
import { createTestDatabase, type TestDatabase } from "../testing/db";
import { serveApp, signIn, signOut, type AppServer } from "../testing/app-server";
import { createMatrixWorld, type Caller, type Fx, type Role } from "../testing/procedure-matrix";

let t: TestDatabase;
let app: AppServer;
let agentApi: AgentApiServer;
let fx: Fx;
let callers: Map<Role, Caller>;

beforeAll(async () => {
  t = await createTestDatabase();
  ({ fx, callers } = await createMatrixWorld(t.db));
  app = await serveApp(t.db);
  agentApi = await serveAgentApi(t.db, 0);
});
afterAll(async () => {
  await app.close();
  await new Promise<void>((r) => agentApi.close(() => r()));
  await t.drop();
});

const me = (cookie: string) => fetch(`${app.url}/api/trpc/session.me`, { headers: { cookie } }).then((r) => r.status);
const mutate = (path: string, cookie: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  fetch(`${app.url}/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: app.url, "sec-fetch-site": "same-origin", ...headers },
    body: JSON.stringify({ json: body }),
  });

describe("sessions end on the server (finding 2)", () => {
  it("the old cookie fails after sign-out", async () => {
    const cookie = await signIn(app, DEMO_USERS.user.email, DEMO_PASSWORD);
    expect(await me(cookie)).toBe(200);
    // Pages read the session through next-auth's own session endpoint (the same callback).
    const pageSession = async () =>
      ((await (await fetch(`${app.url}/api/auth/session`, { headers: { cookie } })).json()) as { user?: { email: string } }).user?.email;
    expect(await pageSession()).toBe(DEMO_USERS.user.email);
    expect(await signOut(app, cookie)).toBeLessThan(400);
    expect(await me(cookie)).toBe(401);
    expect(await pageSession()).toBeUndefined();
  });

  it("sign out everywhere ends every session of the user, and only theirs", async () => {
    const first = await signIn(app, DEMO_EXTRA_USERS[0].email, DEMO_PASSWORD);
    const second = await signIn(app, DEMO_EXTRA_USERS[0].email, DEMO_PASSWORD);
    const someoneElse = await signIn(app, DEMO_EXTRA_USERS[1].email, DEMO_PASSWORD);
    expect((await mutate("session.signOutEverywhere", first)).status).toBe(200);
    expect([await me(first), await me(second), await me(someoneElse)]).toEqual([401, 401, 200]);
  });

  it("a password change ends the user's sessions", async () => {
    const cookie = await signIn(app, DEMO_EXTRA_USERS[2].email, DEMO_PASSWORD);
    const changed = await mutate("account.changePassword", cookie, {
      currentPassword: DEMO_PASSWORD,
      newPassword: "a new long passphrase",
    });
    expect(changed.status).toBe(200);
    expect(await me(cookie)).toBe(401);
    await signIn(app, DEMO_EXTRA_USERS[2].email, "a new long passphrase");
  });

  it("disabling a user ends their sessions", async () => {
    const cookie = await signIn(app, DEMO_USERS.support.email, DEMO_PASSWORD);
    expect(await me(cookie)).toBe(200);
    const support = await t.db.user.findUniqueOrThrow({ where: { email: DEMO_USERS.support.email } });
    await callers.get("admin")!.user.setDisabled({ userId: support.id, disabled: true });
    expect(await me(cookie)).toBe(401);
    await callers.get("admin")!.user.setDisabled({ userId: support.id, disabled: false });
    // Re-enabled, the old session stays ended: its row was revoked.
    expect(await me(cookie)).toBe(401);
  });
});

describe("writes from another site are refused (finding 4)", () => {
  const annotate = (cookie: string, headers: Record<string, string>, contentType = "application/json") =>
    fetch(`${app.url}/api/trpc/annotation.create`, {
      method: "POST",
      headers: { "content-type": contentType, cookie, ...headers },
      body: JSON.stringify({ json: { targetType: "tenant", targetId: fx.acme.tenantId, body: "csrf?" } }),
    });
  const annotations = () => t.db.annotation.count();

  it("a cross-site multipart POST with the session cookie changes nothing", async () => {
    const cookie = await signIn(app, DEMO_USERS.admin.email, DEMO_PASSWORD);
    const before = await annotations();
    const foreign = await annotate(cookie, { origin: "https://evil.example" }, "multipart/form-data; boundary=x");
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: string }).error).toMatch(/Cross-site request refused/);
    expect((await annotate(cookie, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await annotate(cookie, { origin: "null" })).status).toBe(403);
    expect(await annotations()).toBe(before);
    // The same request from the app's own page goes through.
    expect((await annotate(cookie, { origin: app.url, "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect(await annotations()).toBe(before + 1);
  });

  it("API tokens are exempt: a Bearer credential is not sent by a browser on its own", async () => {
    const { token } = await callers.get("admin")!.account.createToken({ name: "csrf exempt" });
    const answer = await fetch(`${app.url}/api/trpc/annotation.create`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, origin: "https://cli.example" },
      body: JSON.stringify({ json: { targetType: "tenant", targetId: fx.acme.tenantId, body: "from a script" } }),
    });
    expect(answer.status).toBe(200);
  });
});

/** Sends headers declaring `declared` bytes and only a few of them; resolves with the status once answered. */
function declareHuge(url: string, declared: number, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": declared, ...headers },
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on("error", (err) => (req.destroyed ? undefined : reject(err)));
    req.write("{".padEnd(1024, " "));
    // Deliberately never finished: an answer proves the server did not wait for (or read) the body.
    setTimeout(() => reject(new Error("no answer: the server is waiting for the body")), 10_000).unref();
  });
}

describe("oversized bodies are refused with 413 before they are read (finding 5)", () => {
  it("an anonymous 64 MiB tRPC POST", async () => {
    expect(await declareHuge(`${app.url}/api/trpc/account.signUp`, 64 * 1024 * 1024)).toBe(413);
  });

  it("a tRPC body streamed without a length is cut off at the limit", async () => {
    const chunk = new Uint8Array(256 * 1024).fill(32);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const answer = await fetch(`${app.url}/api/trpc/account.signUp`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(answer.status).toBe(413);
  });

  it("route handlers and next-auth behind the web server", async () => {
    expect(await declareHuge(`${app.url}/api/auth/callback/credentials`, 1024 * 1024)).toBe(413);
    expect(await declareHuge(`${app.url}/api/agent/join`, 1024 * 1024)).toBe(413);
  });

  it("the agent API process", async () => {
    expect(await declareHuge(`${agentApi.url}/api/agent/join`, 64 * 1024 * 1024)).toBe(413);
    expect(await declareHuge(`${agentApi.url}/api/agent/heartbeat`, 64 * 1024 * 1024, { authorization: "Bearer x" })).toBe(413);
  });
});
