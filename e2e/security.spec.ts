import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_USERS } from "@/prisma/demo-data";

/**
 * Security checks over real HTTP against the built app: headers on every page
 * route (enumerated from app/**\/page.tsx, so a new page is covered), session
 * cookie flags, the sign-in rate limit, and a sample of fuzzed tRPC input.
 * Production-mode cookies (Secure) and CSRF are in server/security.int.test.ts.
 */

/** Every page route of the app, with dynamic segments filled by an id that does not exist. */
function pageRoutes(dir = path.resolve("app"), prefix = ""): string[] {
  const routes: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name === "page.tsx") routes.push(prefix || "/");
    if (!entry.isDirectory() || entry.name === "api" || entry.name.startsWith("_")) continue;
    const segment = entry.name.startsWith("(") ? "" : entry.name.startsWith("[") ? "/does-not-exist" : `/${entry.name}`;
    routes.push(...pageRoutes(path.join(dir, entry.name), prefix + segment));
  }
  return routes.sort();
}

async function signIn(request: APIRequestContext, email: string, password: string, address?: string) {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  return request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
    headers: address ? { "x-forwarded-for": address } : {},
    maxRedirects: 0,
  });
}

function expectSecurityHeaders(headers: Record<string, string>, where: string) {
  expect(headers["content-security-policy"], where).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"], where).toContain("default-src 'self'");
  expect(headers["x-content-type-options"], where).toBe("nosniff");
  expect(headers["x-frame-options"], where).toBe("DENY");
  expect(headers["x-powered-by"], where).toBeUndefined();
}

test("every page route carries the security headers, signed in and signed out", async ({ request, playwright, baseURL }) => {
  const routes = pageRoutes();
  expect(routes).toEqual(
    expect.arrayContaining(["/", "/sign-in", "/environments", "/environments/does-not-exist", "/admin/tenants/does-not-exist"]),
  );
  for (const route of routes) expectSecurityHeaders((await request.get(route, { maxRedirects: 0 })).headers(), `${route} signed out`);
  const admin = await playwright.request.newContext({ baseURL });
  expect((await signIn(admin, DEMO_USERS.admin.email, DEMO_PASSWORD)).status()).toBe(200);
  for (const route of routes) {
    const response = await admin.get(route, { maxRedirects: 0 });
    expect(response.status(), route).toBeLessThan(500);
    expectSecurityHeaders(response.headers(), `${route} as admin`);
  }
  await admin.dispose();
});

test("the session cookie is HttpOnly and SameSite=Lax", async ({ request }) => {
  const response = await signIn(request, DEMO_USERS.support.email, DEMO_PASSWORD);
  const session = response
    .headersArray()
    .find((h) => h.name.toLowerCase() === "set-cookie" && h.value.startsWith("next-auth.session-token="));
  expect(session?.value).toBeTruthy();
  expect(session!.value).toMatch(/;\s*HttpOnly/i);
  expect(session!.value).toMatch(/;\s*SameSite=Lax/i);
});

test("the 11th failed sign-in in a minute is refused, even with the right password", async ({ request }) => {
  const email = `limited-${Date.now()}@x.test`;
  const password = "limited-user-pass-1";
  const signUp = await request.post("/api/trpc/account.signUp", { data: { json: { name: "Limited", email, password } } });
  expect(signUp.status()).toBe(200);
  const address = `10.77.${Date.now() % 250}.${Math.floor(Math.random() * 250)}`;
  for (let i = 0; i < 10; i++) {
    const failed = await signIn(request, email, `wrong-${i}`, address);
    expect(JSON.stringify(await failed.json()), `attempt ${i + 1}`).toContain("CredentialsSignin");
  }
  const eleventh = await signIn(request, email, password, address);
  expect(eleventh.headers()["set-cookie"] ?? "").not.toContain("next-auth.session-token=ey");
  expect(JSON.stringify(await eleventh.json())).toContain("RateLimited");
});

test("fuzzed tRPC input over HTTP is a 4xx with a readable message, never a 5xx", async ({ request }) => {
  expect((await signIn(request, DEMO_USERS.admin.email, DEMO_PASSWORD)).status()).toBe(200);
  const nasty: unknown[] = [
    "\u0000",
    "\ud800",
    "x".repeat(100_000),
    -1,
    2 ** 53,
    1e308,
    null,
    [],
    { extra: true },
    '\'; DROP TABLE "Tenant"; --',
  ];
  const queries = new Set(["tenant.get", "environment.get", "placement.whatIf"]);
  const calls: [string, (v: unknown) => unknown][] = [
    ["tenant.get", (v) => ({ tenantId: v })],
    ["tenant.rename", (v) => ({ tenantId: v, name: v })],
    ["environment.get", (v) => ({ id: v })],
    ["environment.create", (v) => ({ tenantId: v, name: v, stage: "development", haLevel: v, zoneId: v })],
    ["quota.update", (v) => ({ tenantId: "x", maxReplicas: v })],
    ["zone.create", (v) => ({ name: v, purpose: "workload", isolation: "shared" })],
    ["placement.whatIf", (v) => ({ kind: "host", host: v })],
    ["account.revokeToken", (v) => ({ id: v })],
  ];
  const problems: string[] = [];
  for (const [procedure, make] of calls) {
    for (const value of nasty) {
      const query = queries.has(procedure);
      // A 100,000-character URL is the server's to refuse (431/414) before the app sees it.
      if (query && typeof value === "string" && value.length > 1000) continue;
      const input = JSON.stringify({ json: make(value) });
      const response = query
        ? await request.get(`/api/trpc/${procedure}?input=${encodeURIComponent(input)}`)
        : await request.post(`/api/trpc/${procedure}`, { data: input, headers: { "content-type": "application/json" } });
      const text = await response.text();
      let message = "";
      try {
        message = (JSON.parse(text) as { error?: { json?: { message?: string } } }).error?.json?.message ?? "";
      } catch {
        message = "";
      }
      if (response.status() >= 500 || (response.status() >= 400 && !message.trim()))
        problems.push(`${procedure}(${JSON.stringify(value).slice(0, 40)}): ${response.status()} ${text.slice(0, 200)}`);
    }
  }
  expect(problems).toEqual([]);
});
