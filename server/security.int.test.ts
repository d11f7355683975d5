/**
 * Security checks as tests: every secret the app creates (passwords, API tokens,
 * join tokens, host credentials) is stored only as a hash, environment
 * credentials (etcd passwords the controller must set) only sealed; none is
 * returned after creation, never written to the log; session
 * cookies are HttpOnly, SameSite and (in production) Secure; sign-in needs the
 * CSRF token. Related checks live elsewhere: bcrypt and the sign-in rate limit
 * (server/auth/credentials.int.test.ts), the API token shown once
 * (server/services/account.int.test.ts), headers on every page and cookies over
 * HTTP (e2e/security.spec.ts).
 */
import { createRequire } from "node:module";
import path from "node:path";
import pino from "pino";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { authenticate } from "./auth/credentials";
import { hashSecret, verifyPassword } from "./auth/password";
import { unseal } from "./etcd/secret-box";
import { logger } from "./observability/logger";
import { sessionFromApiToken } from "./services/api-tokens";
import { handleHeartbeat, handleJoin } from "./agent-api/handlers";
import { createTestDatabase, type TestDatabase } from "./testing/db";
import { routerProcedures } from "./testing/fuzz/procedures";
import { callProcedure, createMatrixWorld, EMAIL, foreignFor, MATRIX, type Caller, type Fx, type Role } from "./testing/procedure-matrix";

let t: TestDatabase;
let fx: Fx;
let callers: Map<Role, Caller>;
const logLines: string[] = [];
/** Every secret created below, by what it is. */
const secrets: Record<string, string> = {};
const tokenLike = ["apiToken", "joinToken", "hostCredential", "envCredential", "envCredentialRotated"] as const;
let envId: string;

const agentRequest = (body: unknown, credential?: string) =>
  new Request("http://app/api/agent", {
    method: "POST",
    headers: { "content-type": "application/json", ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  t = await createTestDatabase();
  ({ fx, callers } = await createMatrixWorld(t.db));
  // Capture everything the app logs, at every level.
  (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = { write: (line: string) => void logLines.push(line) };
  logger.level = "trace";

  const admin = callers.get("admin")!;
  const anonymous = callers.get("anonymous")!;
  secrets.signUpPassword = "Sign-up pass 7f3a9c";
  await anonymous.account.signUp({ name: "Sec", email: "sec@x.test", password: secrets.signUpPassword });
  expect(await authenticate(t.db, { email: "sec@x.test", password: secrets.signUpPassword }, "10.1.1.1", Date.now())).toBeTruthy();
  secrets.wrongPassword = "Wrong guess 91b2e4";
  expect(await authenticate(t.db, { email: "sec@x.test", password: secrets.wrongPassword }, "10.1.1.1", Date.now())).toBeNull();
  secrets.memberPassword = "Member pass 5d8e21";
  await anonymous.account.signUp({ name: "M", email: "sec-member@x.test", password: secrets.memberPassword });
  await callers.get("acmeOwner")!.tenant.addMember({ tenantId: fx.acme.tenantId, email: "sec-member@x.test", role: "viewer" });

  const alice = callers.get("acmeOwner")!;
  secrets.apiToken = (await alice.account.createToken({ name: "sec" })).token;
  expect(await sessionFromApiToken(t.db, secrets.apiToken)).toBeTruthy();
  const env = await alice.environment.create({
    tenantId: fx.acme.tenantId,
    name: "sec-env",
    stage: "development",
    haLevel: 1,
    zoneId: fx.acme.zoneId,
  });
  envId = env.id;
  secrets.envCredential = env.credential;
  secrets.envCredentialRotated = (await alice.environment.rotateCredential({ id: env.id })).credential;

  secrets.joinToken = (await admin.host.register({ zoneId: fx.acme.zoneId })).token;
  const joined = await handleJoin(
    t.db,
    agentRequest({ joinToken: secrets.joinToken, name: "sec-host", failureDomain: "az-1", cpuMillis: 4000, memoryMiB: 8192 }),
  );
  expect(joined.status).toBe(200);
  secrets.hostCredential = ((await joined.json()) as { credential: string }).credential;
  expect(
    (await handleHeartbeat(t.db, agentRequest({ cpuMillis: 4000, memoryMiB: 8192, replicas: [] }, secrets.hostCredential))).status,
  ).toBe(200);
  // A replayed join token and a wrong credential: rejections are logged or audited, secrets are not.
  expect(
    (
      await handleJoin(
        t.db,
        agentRequest({ joinToken: secrets.joinToken, name: "sec-host-2", failureDomain: "az-1", cpuMillis: 4000, memoryMiB: 8192 }),
      )
    ).status,
  ).toBe(401);
  expect(
    (await handleHeartbeat(t.db, agentRequest({ cpuMillis: 4000, memoryMiB: 8192, replicas: [] }, `${secrets.hostCredential}x`))).status,
  ).toBe(401);
  // A careless log line with secrets under the usual names must come out redacted.
  logger.warn(
    {
      password: secrets.signUpPassword,
      token: secrets.apiToken,
      credential: secrets.hostCredential,
      headers: { authorization: `Bearer ${secrets.apiToken}` },
    },
    "careless line",
  );
});
afterAll(() => t.drop());

/** Every row of every table of the database, as text. */
async function databaseDump(): Promise<string> {
  const tables = await t.db.$queryRawUnsafe<{ name: string }[]>(
    "SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  );
  const parts: string[] = [];
  for (const { name } of tables) {
    const rows = await t.db.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(x)::text AS row FROM ${name} x`);
    parts.push(...rows.map((r) => `${name} ${r.row}`));
  }
  return parts.join("\n");
}

describe("secrets at rest", () => {
  it("no secret appears anywhere in the database; tokens and credentials are stored as their SHA-256, passwords as bcrypt", async () => {
    const dump = await databaseDump();
    expect(dump.length).toBeGreaterThan(10_000);
    for (const [what, secret] of Object.entries(secrets)) expect(dump.includes(secret), `${what} stored in clear`).toBe(false);
    for (const what of ["apiToken", "joinToken", "hostCredential"] as const)
      expect(dump.includes(hashSecret(secrets[what]!)), `${what} stored hashed`).toBe(true);
    // An environment credential is its etcd user's password, which the controller must set on the cluster: it is
    // kept sealed (encrypted with a key outside the database), and only the current one is there.
    const sealed = (await t.db.environment.findMany({ select: { credentialSealed: true } })).map((e) => unseal(e.credentialSealed));
    expect(sealed).toContain(secrets.envCredentialRotated);
    expect(sealed).not.toContain(secrets.envCredential);
    for (const [email, what] of [
      ["sec@x.test", "signUpPassword"],
      ["sec-member@x.test", "memberPassword"],
    ] as const) {
      const user = await t.db.user.findUniqueOrThrow({ where: { email } });
      expect(user.passwordHash).toMatch(/^\$2[aby]\$\d\d\$/);
      expect(await verifyPassword(secrets[what]!, user.passwordHash)).toBe(true);
    }
  });
});

describe("environment credentials are shown once", () => {
  it("no query of the router, as any role, returns a credential, a secret or any stored hash", async () => {
    const forbidden = [...Object.values(secrets), ...tokenLike.map((w) => hashSecret(secrets[w]!))];
    const leaks: string[] = [];
    let answered = 0;
    for (const { path, type } of routerProcedures()) {
      if (type !== "query") continue;
      for (const role of ["admin", "support", "acmeOwner", "acmeViewer"] as const) {
        const inputs = [
          MATRIX[path]?.input ? await MATRIX[path].input(fx, role.startsWith("acme") ? fx.acme : foreignFor(fx, role)) : undefined,
        ];
        if (path === "environment.get") inputs.push({ id: envId });
        for (const input of inputs) {
          const got = await callProcedure(callers.get(role)!, path, input);
          if (got.code !== "ok") continue;
          answered++;
          const text = superjson.stringify(got.value);
          const found = forbidden.filter((s) => text.includes(s));
          if (found.length || /"(credentialHash|passwordHash|tokenHash)"/.test(text))
            leaks.push(`${path} as ${role}: ${found.length ? "a secret" : "a hash column"}`);
        }
      }
    }
    expect(answered).toBeGreaterThan(50);
    expect(leaks).toEqual([]);
  });
});

describe("the log", () => {
  it("never contains a secret, through sign-up, sign-in, tokens, environments, join and heartbeat", () => {
    const log = logLines.join("");
    expect(log).toContain("careless line");
    expect(log).toContain("[redacted]");
    for (const [what, secret] of Object.entries(secrets)) expect(log.includes(secret), `${what} in the log`).toBe(false);
  });
});

/** next-auth's framework-free handler (`next-auth/core`, not in its package exports): the real cookie and CSRF logic, no Next.js request needed. */
type AuthHandlerFn = (params: { req: Record<string, unknown>; options: unknown }) => Promise<{
  body?: unknown;
  cookies?: { name: string; value: string; options: Record<string, unknown> }[];
}>;
const requireFromHere = createRequire(import.meta.url);

describe("session cookies and CSRF (next-auth as configured)", () => {
  async function signIn(mode: "demo" | "production", withCsrf = true) {
    vi.resetModules();
    vi.stubEnv("STATEHOUSE_ENV", mode);
    vi.stubEnv("NEXTAUTH_SECRET", "a-test-secret-that-is-long-enough-0123456789");
    vi.stubEnv("NEXTAUTH_URL", mode === "production" ? "https://statehouse.test" : "http://127.0.0.1:3000");
    (globalThis as { statehousePrisma?: unknown }).statehousePrisma = t.db;
    const { AuthHandler } = requireFromHere(path.resolve("node_modules/next-auth/core/index.js")) as { AuthHandler: AuthHandlerFn };
    const { authOptions } = await import("./auth/options");
    const options = authOptions();
    const origin = mode === "production" ? "https://statehouse.test" : "http://127.0.0.1:3000";
    const csrf = await AuthHandler({ req: { action: "csrf", method: "GET", origin, cookies: {}, headers: {} }, options });
    const csrfCookie = csrf.cookies!.find((c) => c.name.includes("csrf-token"))!;
    const signedIn = await AuthHandler({
      req: {
        action: "callback",
        providerId: "credentials",
        method: "POST",
        origin,
        cookies: { [csrfCookie.name]: csrfCookie.value },
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: {
          email: EMAIL.admin,
          password: "statehouse-demo",
          json: "true",
          ...(withCsrf ? { csrfToken: (csrf.body as { csrfToken: string }).csrfToken } : {}),
        },
      },
      options,
    });
    vi.unstubAllEnvs();
    return { cookies: [...csrf.cookies!, ...(signedIn.cookies ?? [])], signedIn };
  }

  it("in production: every cookie is HttpOnly, SameSite=Lax, Secure, with a __Secure-/__Host- name", async () => {
    const { cookies } = await signIn("production");
    const session = cookies.find((c) => c.name.endsWith("next-auth.session-token"));
    expect(session?.value, "signed in").toBeTruthy();
    expect(session!.name).toBe("__Secure-next-auth.session-token");
    for (const c of cookies.filter((c) => !c.name.endsWith("callback-url"))) {
      expect(c.options, c.name).toMatchObject({ httpOnly: true, sameSite: "lax", secure: true });
      expect(c.name, c.name).toMatch(/^__(Secure|Host)-/);
    }
  });

  it("in demo mode (plain HTTP): HttpOnly and SameSite=Lax", async () => {
    const { cookies } = await signIn("demo");
    const session = cookies.find((c) => c.name === "next-auth.session-token");
    expect(session?.value, "signed in").toBeTruthy();
    expect(session!.options).toMatchObject({ httpOnly: true, sameSite: "lax" });
  });

  it("refuses a sign-in without the CSRF token (no session cookie)", async () => {
    const { cookies, signedIn } = await signIn("production", false);
    expect(cookies.find((c) => c.name.endsWith("session-token"))).toBeUndefined();
    expect(JSON.stringify(signedIn)).toContain("csrf=true");
  });
});
