import { expect, test } from "@playwright/test";
import { encode } from "next-auth/jwt";
import { DEMO_PASSWORD, DEMO_USERS } from "@/prisma/demo-data";
import { authSecret } from "@/server/env";

/** Operations endpoints and error answers over real HTTP against the built app. */

async function signInCookies(request: import("@playwright/test").APIRequestContext, email: string, password: string) {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  return request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
    maxRedirects: 0,
  });
}

test("GET /api/health answers 200 with the database check", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok", checks: { database: "ok" } });
});

test("GET /api/metrics serves Prometheus text with the app's metrics", async ({ request }) => {
  await request.get("/api/trpc/session.get");
  const response = await request.get("/api/metrics");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/plain");
  const body = await response.text();
  expect(body).toMatch(/^# HELP statehouse_trpc_requests_total/m);
  expect(body).toContain('statehouse_trpc_requests_total{path="session.get",type="query",code="OK"}');
});

test("every page carries the security headers", async ({ request }) => {
  for (const path of ["/sign-in", "/api/health"]) {
    const headers = (await request.get(path)).headers();
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
  }
});

test("a procedure without a session is 401 with a readable message, not a 500", async ({ request }) => {
  const response = await request.get("/api/trpc/environment.list");
  expect(response.status()).toBe(401);
  const body = (await response.json()) as { error: { json: { message: string; data: { appCode: string } } } };
  expect(body.error.json.message).toMatch(/sign in/i);
  expect(body.error.json.data.appCode).toBe("UNAUTHENTICATED");
});

test("a procedure above the caller's tier is 403", async ({ request }) => {
  const signIn = await signInCookies(request, DEMO_USERS.user.email, DEMO_PASSWORD);
  expect(signIn.status()).toBe(200);
  expect((await request.get("/api/trpc/session.me")).status()).toBe(200);
  const response = await request.get("/api/trpc/tenant.list");
  expect(response.status()).toBe(403);
  expect(JSON.stringify(await response.json())).toContain("Only support staff and administrators");
});

test("an expired session is treated as signed out (401), never a 500", async ({ request }) => {
  const user = DEMO_USERS.admin;
  const expired = await encode({ token: { sub: "any", email: user.email }, secret: authSecret(), maxAge: -60 });
  const response = await request.get("/api/trpc/session.me", {
    headers: { cookie: `next-auth.session-token=${expired}` },
  });
  expect(response.status()).toBe(401);
  const page = await request.get("/environments", { headers: { cookie: `next-auth.session-token=${expired}` }, maxRedirects: 0 });
  expect([302, 303, 307]).toContain(page.status());
  expect(page.headers()["location"]).toContain("/sign-in");
});

test("bad sign-in input gets a clean refusal, never a 500", async ({ request }) => {
  for (const [email, password] of [
    ["", ""],
    ["not-an-email", "x"],
    [DEMO_USERS.admin.email, "x".repeat(5000)],
    ["ünïcödé@例え.テスト", "🔑"],
  ] as const) {
    const response = await signInCookies(request, email, password);
    expect(response.status(), `${email}`).toBeLessThan(500);
    expect(response.headers()["set-cookie"] ?? "").not.toContain("next-auth.session-token=ey");
  }
});

test("sign-in without the CSRF token is refused", async ({ request }) => {
  const response = await request.post("/api/auth/callback/credentials", {
    form: { email: DEMO_USERS.admin.email, password: DEMO_PASSWORD, json: "true" },
    maxRedirects: 0,
  });
  expect(response.headers()["set-cookie"] ?? "").not.toContain("next-auth.session-token=ey");
  expect(JSON.stringify(await response.json())).toContain("csrf=true");
});
