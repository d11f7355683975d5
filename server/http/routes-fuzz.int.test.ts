/**
 * Fuzzing the HTTP endpoints outside tRPC: every route handler under app/api
 * (enumerated from disk, server/testing/route-matrix.ts) and the agent API's
 * endpoints. The rule is the tRPC fuzz suite's: never a 5xx, every rejection a
 * 4xx with a readable `error` (and a `code`), and no row changed by a read or a
 * rejected write (rejected agent requests are audited by design: the audit log
 * is left out of that check for them).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleHeartbeat, handleJoin } from "../agent-api/handlers";
import { createTestDatabase, type TestDatabase } from "../testing/db";
import { dbFingerprint } from "../testing/db-fingerprint";
import { describeInput, fuzzRuns, nastyString, nastyValue } from "../testing/fuzz/arbitraries";
import { createMatrixWorld, type Caller, type Fx, type Role } from "../testing/procedure-matrix";
import { routeModule, ROUTES } from "../testing/route-matrix";

let t: TestDatabase;
let fx: Fx;
let callers: Map<Role, Caller>;
let adminToken: string;

beforeAll(async () => {
  t = await createTestDatabase();
  // The route handlers use the app's one client: point it at this file's database.
  (globalThis as unknown as { statehousePrisma?: unknown }).statehousePrisma = t.db;
  ({ fx, callers } = await createMatrixWorld(t.db));
  adminToken = (await callers.get("admin")!.account.createToken({ name: "route fuzz" })).token;
});
afterAll(() => t.drop());

/** A problem with an answer, or undefined for a success or a readable rejection. */
async function badAnswer(response: Response): Promise<string | undefined> {
  const text = await response.text();
  if (response.status >= 500) return `status ${response.status}: ${text.slice(0, 300)}`;
  if (response.status < 400) return undefined;
  let body: { error?: unknown; code?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return `status ${response.status} without a JSON body: ${text.slice(0, 200)}`;
  }
  // The agent protocol nests its error ({ error: { code, message } }); everything else is the flat problem format.
  const error = body.error as { message?: unknown; code?: unknown } | string | undefined;
  const message = typeof error === "string" ? error : typeof error?.message === "string" ? error.message : "";
  const code = typeof error === "string" ? body.code : error?.code;
  if (!message.trim() || typeof code !== "string")
    return `status ${response.status} without a readable error and code: ${text.slice(0, 200)}`;
  if (message.length > 4000 || /\n\s+at |prisma|invalid `|violates|TypeError/i.test(message))
    return `unclear message: ${message.slice(0, 300)}`;
  return undefined;
}

const queryRoutes = Object.entries(ROUTES).filter(([, r]) => r.query);

describe("route handlers: bad query parameters are readable 4xx, never 5xx, and change nothing", () => {
  it.each(queryRoutes.map(([route]) => route))("%s", async (route) => {
    const entry = ROUTES[route]!;
    const handler = (await routeModule(route)).GET!;
    const before = await dbFingerprint(t.db);
    const problems: string[] = [];
    const params = Object.keys(entry.query!);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...params), nastyString, async (param, value) => {
        const query = new URLSearchParams({ ...entry.query!, [param]: value });
        const response = await handler(new Request(`http://app${route}?${query}`, { headers: { authorization: `Bearer ${adminToken}` } }));
        const problem = await badAnswer(response);
        if (problem) problems.push(`${route} ${param}=${describeInput(value)}: ${problem}`);
      }),
      { numRuns: fuzzRuns(60) },
    );
    expect(problems).toEqual([]);
    expect(await dbFingerprint(t.db)).toEqual(before);
  });

  it.each([
    ["/api/placement/map", "asOf", "+200000-01-01T00:00:00.000Z"],
    ["/api/placement/export", "at", "+275760-09-13T00:00:00.000Z"],
    ["/api/audit/export", "from", "+275760-09-13T00:00:00.000Z"],
    ["/api/audit/export", "to", "-271821-04-20T00:00:00.000Z"],
  ])("the probe's %s?%s=%s is a 400 naming the field", async (route, param, value) => {
    const handler = (await routeModule(route)).GET!;
    const response = await handler(
      new Request(`http://app${route}?${param}=${encodeURIComponent(value)}`, { headers: { authorization: `Bearer ${adminToken}` } }),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; code: string; field?: string };
    expect(body.error).toMatch(new RegExp(`^${param}: `));
    expect(body).toMatchObject({ code: "VALIDATION", field: param });
  });
});

describe("agent endpoints: garbage bodies and credentials are readable 4xx and change no row", () => {
  let address = 0;
  const post = (body: unknown, credential?: string) =>
    new Request("http://app/api/agent", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-forwarded-for": `10.77.${address >> 8}.${address++ & 255}`,
        ...(credential ? { authorization: `Bearer ${credential}` } : {}),
      },
      body: typeof body === "string" ? body : JSON.stringify(body, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v)),
    });
  const endpoints = {
    "/api/agent/join": (body: unknown) => handleJoin(t.db, post(body)),
    "/api/agent/heartbeat": (body: unknown, credential?: string) => handleHeartbeat(t.db, post(body, credential)),
  };

  it.each(Object.keys(endpoints) as (keyof typeof endpoints)[])("%s", async (path) => {
    const before = await dbFingerprint(t.db, { withAudit: false });
    const problems: string[] = [];
    await fc.assert(
      fc.asyncProperty(nastyValue, fc.option(nastyString, { nil: undefined }), async (body, credential) => {
        const response = await endpoints[path](body, credential && /^[\x21-\x7e]+$/.test(credential) ? credential : undefined);
        if (response.status < 400) problems.push(`${path} accepted ${describeInput(body)}`);
        const problem = await badAnswer(response);
        if (problem) problems.push(`${path} ${describeInput(body)}: ${problem}`);
      }),
      { numRuns: fuzzRuns(60) },
    );
    expect(problems).toEqual([]);
    expect(await dbFingerprint(t.db, { withAudit: false })).toEqual(before);
    expect(fx.hostId).toBeTruthy();
  });
});
