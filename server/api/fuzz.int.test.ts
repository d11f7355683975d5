/**
 * Fuzzing every tRPC procedure: fast-check breaks one thing in a valid input
 * (wrong type, huge or strange string, boundary number, missing or extra field,
 * another tenant's id) and every answer must be a success or a clear rejection
 * below 500. Procedures are enumerated from the router, so a new one is fuzzed
 * without an edit here. In-process through createCaller, with errors mapped to
 * HTTP by tRPC's own table; a sample goes over HTTP through the web server's
 * tRPC path (what `npm start` serves) to prove the mapping. FUZZ_RUNS=<n> for a longer run.
 */
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import fc from "fast-check";
import superjson from "superjson";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/db";
import { createWebHandler } from "../web/handler";
import { describeInput, fuzzRuns, mutatedInput } from "../testing/fuzz/arbitraries";
import { httpStatusOf, routerProcedures, unclearRejection } from "../testing/fuzz/procedures";
import { callProcedure, createMatrixWorld, MATRIX, type Caller, type Fx, type Role, type TenantFx } from "../testing/procedure-matrix";
import type { AppRouter } from "./root";

let t: TestDatabase;
let fx: Fx;
let callers: Map<Role, Caller>;
/** Ids the fuzzer swaps in: the other tenant's rows, platform rows, and ones that never existed. */
let ids: string[];

beforeAll(async () => {
  t = await createTestDatabase();
  ({ fx, callers } = await createMatrixWorld(t.db));
  ids = [
    fx.globex.tenantId,
    fx.globex.envId,
    fx.globex.memberUserId,
    fx.globex.tokenId,
    fx.acme.envId,
    fx.acme.tenantId,
    fx.hostId,
    fx.policyId,
    fx.globex.zoneId,
    "does-not-exist",
    "0",
    "c".repeat(25),
  ];
});
afterAll(() => t.drop());

/** A valid input for the procedure as `t`'s users would send it (or undefined when the matrix has none). */
async function validInput(path: string, tenant: TenantFx): Promise<unknown> {
  const entry = MATRIX[path];
  return entry?.input ? entry.input(fx, tenant) : undefined;
}

/** Fuzzes `path` as `role` with inputs built on `tenant`'s ids; returns every bad answer. */
async function fuzz(path: string, role: Role, tenant: TenantFx, runs: number): Promise<string[]> {
  const problems: string[] = [];
  const valid = await validInput(path, tenant);
  await fc.assert(
    fc.asyncProperty(mutatedInput(valid, ids), async (m) => {
      const got = await callProcedure(callers.get(role)!, path, m.input);
      const problem = got.error ? unclearRejection(got.error) : undefined;
      if (problem) problems.push(`${path} as ${role}, ${m.kind} at ${m.path.join(".") || "input"} = ${describeInput(m.input)}: ${problem}`);
    }),
    { numRuns: runs },
  );
  return problems;
}

const procedures = routerProcedures();

describe("fuzzing every tRPC procedure", () => {
  it("enumerates the router's procedures", () => {
    expect(procedures.length).toBeGreaterThan(50);
    expect(procedures.map((p) => p.path)).toContain("environment.create");
  });

  it.each(procedures.map((p) => p.path))("%s: bad input is a clear rejection below 500", async (path) => {
    const problems = [
      // An administrator gets past every tier, so the input itself is what is tested.
      ...(await fuzz(path, "admin", fx.globex, fuzzRuns(40))),
      // A tenant owner, in their own tenant and with the other tenant's ids.
      ...(await fuzz(path, "acmeOwner", fx.acme, fuzzRuns(12))),
      ...(await fuzz(path, "acmeOwner", fx.globex, fuzzRuns(6))),
    ];
    expect(problems).toEqual([]);
  });
});

describe("the HTTP answer is the status the in-process mapping predicts", () => {
  it("for a sample of fuzzed inputs through the web server's tRPC path, over HTTP with an API token", async () => {
    const { token } = await callers.get("admin")!.account.createToken({ name: "fuzz over http" });
    const handler = createWebHandler({ db: t.db, metrics: async () => ({ contentType: "text/plain", body: "" }) });
    const server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
    const client = createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/trpc`,
          transformer: superjson,
          headers: { authorization: `Bearer ${token}` },
        }),
      ],
    });
    const admin = callers.get("admin")!;
    const sample = fc.sample(fc.constantFrom(...procedures), { numRuns: fuzzRuns(40), seed: 8 });
    const mismatches: string[] = [];
    let rejected = 0;
    for (const [i, { path, type }] of sample.entries()) {
      const valid = await validInput(path, fx.globex);
      const [m] = fc.sample(mutatedInput(valid, ids), { numRuns: 1, seed: i });
      const local = await callProcedure(admin, path, m!.input);
      const expected = local.error ? httpStatusOf(local.error) : 200;
      let status = 200;
      let body = "";
      try {
        const proc = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], client) as Record<
          string,
          (i: unknown) => Promise<unknown>
        >;
        await (type === "query" ? proc.query!(m!.input) : proc.mutate!(m!.input));
      } catch (e) {
        if (!(e instanceof TRPCClientError)) throw e;
        // The client itself refuses some inputs before sending (superjson's __proto__ guard): nothing to compare.
        if (!e.data) continue;
        status = (e.data as { httpStatus: number }).httpStatus;
        body = e.message;
        rejected++;
      }
      // A mutation that succeeded in-process may now conflict (same name twice): only the class must agree.
      const agree = status === expected || (expected === 200 && status === 409) || (type === "mutation" && status < 500 && expected < 500);
      if (!agree || status >= 500)
        mismatches.push(`${path} ${describeInput(m!.input)}: in-process ${expected}, HTTP ${status} ${body.slice(0, 200)}`);
    }
    expect(mismatches).toEqual([]);
    expect(rejected).toBeGreaterThan(sample.length / 2);
  });
});

/**
 * The outside probe's findings, as fixed cases: out-of-range dates and cursors
 * were 500s (finding 3), and an environment-list cursor set to another tenant's
 * id answered differently from an unknown id (finding 6).
 */
describe("the probe's out-of-range inputs are readable 400s naming the field", () => {
  const FAR_DATE = "+275760-09-13T00:00:00.000Z";
  const FAR_AS_OF = "+200000-01-01T00:00:00.000Z";
  const HUGE_CURSOR = "9999999999999999999";
  it.each([
    ["audit.list", { cursor: HUGE_CURSOR }, "cursor"],
    ["audit.list", { from: FAR_DATE }, "from"],
    ["audit.list", { to: "-271821-04-20T00:00:00.000Z" }, "to"],
    ["placement.history", { cursor: HUGE_CURSOR }, "cursor"],
    ["placement.history", { from: FAR_DATE }, "from"],
    ["placement.map", { asOf: FAR_AS_OF }, "asOf"],
    ["environment.list", { cursor: HUGE_CURSOR }, "cursor"],
    ["tenant.list", { cursor: "x".repeat(301) }, "cursor"],
  ])("%s %j", async (path, input, field) => {
    const got = await callProcedure(callers.get("admin")!, path, input);
    expect(got.code).toBe("BAD_REQUEST");
    expect(got.message).toMatch(new RegExp(`^${field}: `));
  });

  it("a foreign environment id as a cursor answers exactly as an unknown id does", async () => {
    const alice = callers.get("acmeOwner")!;
    const foreign = await callProcedure(alice, "environment.list", { limit: 1, cursor: fx.globex.envId });
    const unknown = await callProcedure(alice, "environment.list", { limit: 1, cursor: "c".repeat(25) });
    const own = await callProcedure(alice, "environment.list", { limit: 1, cursor: fx.acme.envId });
    expect(foreign.code).toBe("BAD_REQUEST");
    expect({ code: foreign.code, message: foreign.message }).toEqual({ code: unknown.code, message: unknown.message });
    // Not even an own row's raw id is a cursor: only what the list handed out.
    expect({ code: own.code, message: own.message }).toEqual({ code: unknown.code, message: unknown.message });
  });

  it("a cursor handed to one caller does not page another caller's list", async () => {
    const admin = callers.get("admin")!;
    const first = await admin.environment.list({ limit: 1 });
    expect(first.nextCursor).toBeTruthy();
    expect((await admin.environment.list({ limit: 1, cursor: first.nextCursor })).items).toHaveLength(1);
    const gina = await callProcedure(callers.get("globexOwner")!, "environment.list", { limit: 1, cursor: first.nextCursor });
    expect(gina.code).toBe("BAD_REQUEST");
    // Nor another list's pages.
    const tenants = await callProcedure(admin, "tenant.list", { limit: 1, cursor: first.nextCursor });
    expect(tenants.code).toBe("BAD_REQUEST");
  });
});
