import { createHTTPServer } from "@trpc/server/adapters/standalone";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../prisma/demo-data";
import { seedDemo } from "../../prisma/seed";
import { appRouter } from "../../server/api/root";
import { createContextInner } from "../../server/api/trpc";
import { API_TOKEN_PREFIX, createApiToken, sessionFromApiToken } from "../../server/services/api-tokens";
import { sessionFor } from "../../server/testing/callers";
import { createTestDatabase, type TestDatabase } from "../../server/testing/db";
import { listenOnFreePort } from "../../server/testing/ports";
import { callerFromSession } from "../../server/auth/caller";
import { main } from "../cli";
import { newAuthority } from "../../server/etcd/pki";
import { seal } from "../../server/etcd/secret-box";

/**
 * The CLI against a real HTTP tRPC endpoint (the app's router, Bearer API
 * tokens resolved as the app does), run in-process with its own config dir.
 */
let t: TestDatabase;
let server: ReturnType<typeof createHTTPServer>;
let url: string;
let token: string;
const env = { ...process.env, XDG_CONFIG_HOME: mkdtempSync(path.join(os.tmpdir(), "statehouse-cli-")) };

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s), env, interactive: false });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
  const session = await sessionFor(t.db, DEMO_USERS.user.email);
  token = (await createApiToken(t.db, callerFromSession(session), { name: "cli test" })).token;
  server = createHTTPServer({
    basePath: "/api/trpc/",
    router: appRouter,
    createContext: async ({ req }) => {
      const header = req.headers.authorization ?? "";
      const session = header.startsWith(`Bearer ${API_TOKEN_PREFIX}_`) ? await sessionFromApiToken(t.db, header.slice(7)) : null;
      return createContextInner({ session, db: t.db });
    },
  });
  url = `http://127.0.0.1:${await listenOnFreePort(server)}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await t.drop();
});

describe("statehouse CLI", () => {
  it("refuses to work before login, and logs in with a token", async () => {
    expect(await cli("environments")).toMatchObject({ code: 2, err: expect.stringMatching(/not logged in/) });
    expect(await cli("login", "--url", url, "--token", "sht_wrong-token-value")).toMatchObject({
      code: 1,
      err: expect.stringMatching(/UNAUTHENTICATED/),
    });
    expect(await cli("login", "--url", url, "--token", token)).toMatchObject({
      code: 0,
      out: `Logged in to ${url} as ${DEMO_USERS.user.email}`,
    });
  });

  it("add-environment, environments, status: tables for humans, --json for scripts", async () => {
    const added = await cli("add-environment", "staging", "--stage", "staging", "--ha", "1", "--json");
    expect(added.code).toBe(0);
    const env = JSON.parse(added.out) as { id: string; name: string; credential: string; status: string };
    expect(env).toMatchObject({ name: "staging", status: "pending", credential: expect.stringMatching(/^env_/) });
    const list = await cli("environments");
    expect(list.out.split("\n")[0]).toMatch(/^Environment\s+Tenant\s+Stage\s+HA\s+Status\s+Created$/);
    expect(list.out).toMatch(/staging\s+Acme\s+staging\s+1\s+pending/);
    expect(JSON.parse((await cli("environments", "--json")).out)).toHaveLength(1);
    const st = await cli("status", "staging");
    expect(st.out).toMatch(/Environment:\s+staging/);
    expect(st.out).toMatch(/Status:\s+pending/);
    expect(JSON.parse((await cli("status", "staging", "--json")).out)).toMatchObject({ id: env.id, stage: "staging" });
  });

  it("clear errors and exit codes: duplicate name, policy, unknown environment, bad usage, unreachable server", async () => {
    const dup = await cli("add-environment", "staging", "--stage", "staging", "--ha", "1");
    expect(dup).toMatchObject({ code: 1, err: expect.stringMatching(/already exists.*\[CONFLICT\]/) });
    expect(await cli("status", "nope")).toMatchObject({ code: 1, err: expect.stringMatching(/not found.*\[NOT_FOUND\]/) });
    expect((await cli("add-environment")).code).toBe(2);
    expect((await cli("frobnicate")).code).toBe(2);
    const saved = env.XDG_CONFIG_HOME;
    env.XDG_CONFIG_HOME = mkdtempSync(path.join(os.tmpdir(), "statehouse-cli-"));
    try {
      expect((await cli("login", "--url", "http://127.0.0.1:46049", "--token", token)).code).toBe(3);
    } finally {
      env.XDG_CONFIG_HOME = saved;
    }
  });

  it("client-cert writes the state server's authority and a client certificate it signed, the key private", async () => {
    expect(await cli("client-cert", "staging")).toMatchObject({
      code: 1,
      err: expect.stringMatching(/no TLS state server yet.*\[PRECONDITION_FAILED\]/),
    });
    // What the controller does once the cluster runs: the server has an authority, the environment its data there.
    const row = await t.db.environment.findFirstOrThrow({ where: { name: "staging" }, select: { id: true, zoneId: true } });
    const authority = newAuthority("statehouse-cli-test");
    const server = await t.db.stateServer.create({
      data: {
        name: "cli-tls",
        zoneId: row.zoneId!,
        replicas: 1,
        cpuMillis: 500,
        memoryMiB: 256,
        caCert: authority.certPem,
        caKeySealed: seal(authority.keyPem),
      },
    });
    await t.db.environment.update({ where: { id: row.id }, data: { dataServerId: server.id } });
    const out = mkdtempSync(path.join(os.tmpdir(), "statehouse-cli-tls-"));
    expect(await cli("client-cert", "staging", "--out", out)).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^Wrote .*client\.key for staging/),
    });
    const ca = new X509Certificate(readFileSync(path.join(out, "ca.crt")));
    expect(new X509Certificate(readFileSync(path.join(out, "client.crt"))).verify(ca.publicKey)).toBe(true);
    expect(statSync(path.join(out, "client.key")).mode & 0o777).toBe(0o600);
    expect(await cli("client-cert", "staging", "--out", out)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/already exist.*--yes/),
    });
    expect((await cli("client-cert", "staging", "--out", out, "--yes")).code).toBe(0);
    await t.db.environment.update({ where: { id: row.id }, data: { dataServerId: null } });
  });

  it("remove-environment asks for confirmation unless --yes", async () => {
    expect(await cli("remove-environment", "staging")).toMatchObject({ code: 2, err: expect.stringMatching(/--yes/) });
    const removed = await cli("remove-environment", "staging", "--yes");
    expect(removed).toMatchObject({ code: 0, out: expect.stringMatching(/^Environment staging is being removed/) });
    // The controller finishes the removal (keys, etcd user and role, then the row); none runs here.
    expect((await cli("environments")).out).toMatch(/staging\s+Acme\s+staging\s+1\s+removing/);
  });
});
