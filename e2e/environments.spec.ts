import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { Etcd3 } from "etcd3";
import pg from "pg";
import { freePortSync } from "@/server/testing/ports";
import { databaseUrl, ensureTestPostgres } from "@/server/testing/postgres";

/**
 * The self-service path end to end, against a stack of its own (own database,
 * the built app, a real controller and three real host agents starting real
 * etcd members): sign up, create staging (HA 1) and production (HA 3), watch
 * both reach running without a reload, see production's three members (one
 * leader) and its connection, write a key with the page's key browser and read
 * it on every member with an etcd client and the credential shown once, be
 * refused with the wrong one, remove staging and see the quota fall. Then the
 * CLI logs in by email and prints the connection.
 */
// Its own stack on its own free port (and database): not the one the other specs share.
const port = freePortSync();
const base = `http://127.0.0.1:${port}`;
const email = `self-${Date.now()}@example.com`;
const password = "a-long-enough-password";
let stack: ChildProcess | undefined;

test.use({ baseURL: base });
test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(270_000);
  stack = spawn(process.execPath, ["--import", "tsx", "scripts/e2e-server.ts"], {
    env: { ...process.env, E2E_PORT: String(port), E2E_FLEET: "1", E2E_WATCH_STDIN: "1" },
    stdio: ["pipe", "ignore", "inherit"],
  });
  const deadline = Date.now() + 140_000;
  for (;;) {
    const ok = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (stack.exitCode !== null || Date.now() > deadline) throw new Error("the environments e2e stack did not start");
    await new Promise((r) => setTimeout(r, 500));
  }
  // The app answers before the agents have joined: wait for all three hosts to
  // heartbeat, so the create preview can place every replica (a loaded CI machine is slow).
  const server = await ensureTestPostgres();
  const client = new pg.Client({ connectionString: databaseUrl(server.url, `statehouse_e2e_${port}`) });
  await client.connect();
  // The agents start after the app answers: their join gets its own time (it ran out inside the stack's 140 s once, at load 15).
  const joinDeadline = Date.now() + 120_000;
  try {
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "Host" WHERE state = 'ready' AND "lastHeartbeatAt" IS NOT NULL`,
      );
      const ready = rows[0]?.n ?? 0;
      if (ready >= 3) break;
      if (Date.now() > joinDeadline) throw new Error(`the e2e fleet's agents did not join: ${ready} of 3 hosts ready after 120 s`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await client.end();
  }
});

test.afterAll(async () => {
  if (!stack || stack.exitCode !== null) return;
  const exited = new Promise((r) => stack!.once("exit", r));
  stack.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
});

async function createEnvironment(page: Page, name: string, stage: string, ha: string, waitUntilWritable = false) {
  await page.goto("/environments");
  await page.getByRole("link", { name: "New environment" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New environment" })).toBeVisible();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Stage").selectOption(stage);
  await page.getByLabel("HA level").selectOption(ha);
  const preview = page.getByTestId("create-preview");
  await expect(preview).toContainText("Allowed by every policy rule");
  await expect(page.getByTestId("preview-decision")).toContainText(/state server/);
  if (ha === "3") await expect(preview.getByText(/^replica \d on /)).toHaveCount(3);
  await page.getByRole("button", { name: "Create environment" }).click();
  // Live progress in place of the form: placing, starting members, electing a leader, writable.
  const progress = page.getByRole("list", { name: "Creation progress" });
  await expect(progress).toBeVisible();
  await expect(progress.getByRole("listitem")).toHaveText([/^Placing/, /^Starting members/, /^Electing a leader/, /^Writable/]);
  const credential = (await page.getByTestId("secret-value").textContent())!.trim();
  expect(credential).toMatch(/^env_/);
  if (waitUntilWritable) {
    // The page updates by itself (no reload) until the environment is writable, each step with its time.
    await expect(page.getByTestId("progress-writable")).toHaveAttribute("data-state", "done", { timeout: 90_000 });
    await expect(page.getByRole("status").filter({ hasText: `${name} is ready` })).toBeVisible();
    for (const step of ["placing", "starting", "electing"]) {
      await expect(page.getByTestId(`progress-${step}`)).toHaveAttribute("data-state", "done");
      await expect(page.getByTestId(`progress-${step}-time`)).toHaveText(/^\d+(\.\d)? s$|^\d+ min \d+ s$/);
    }
  }
  return credential;
}

test("sign up, create staging and production, both run, write a key with the key browser, read it with etcd, remove staging and quota falls", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Selma Self");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/environments$/, { timeout: 30_000 });

  const stagingCredential = await createEnvironment(page, "staging", "staging", "1", true);
  const productionCredential = await createEnvironment(page, "production", "production", "3");

  // Live status on the list: no reload.
  await page.goto("/environments");
  await expect(page.getByTestId("status-staging")).toHaveText("Running", { timeout: 90_000 });
  await expect(page.getByTestId("status-production")).toHaveText("Running", { timeout: 90_000 });
  await expect(page.getByTestId("quota-replicas")).toHaveText("4 / 6");

  await page.getByRole("link", { name: "production", exact: true }).click();
  await expect(page.getByTestId("env-status")).toHaveText("Running");
  // Three etcd members, one leader, and the connection any etcd client needs.
  await expect(page.getByTestId("replica-row")).toHaveCount(3);
  await expect(page.getByTestId("member-role").filter({ hasText: /^leader$/ })).toHaveCount(1);
  await expect(page.getByTestId("member-role").filter({ hasText: /^follower$/ })).toHaveCount(2);
  const connection = page.getByRole("region", { name: "Connection" });
  const endpoints = (await connection.getByTestId("connection-endpoints").textContent())!.trim().split(",");
  const username = (await connection.getByTestId("connection-user").textContent())!.trim();
  const prefix = (await connection.getByTestId("connection-prefix").textContent())!.trim();
  expect(endpoints).toHaveLength(3);
  expect(prefix).toMatch(/^\/env\/[a-z0-9]+\/$/);
  // The members speak TLS and admit only certificates of the state server's authority: the card gives both.
  expect(endpoints.every((e) => e.startsWith("https://"))).toBe(true);
  const pem = async (name: string) =>
    decodeURIComponent((await connection.getByRole("link", { name }).getAttribute("href"))!.split(",")[1]!);
  const ca = await pem("ca.crt (authority)");
  await connection.getByRole("button", { name: "Get a client certificate" }).click();
  await expect(connection.getByText("Client certificate issued")).toBeVisible();
  const tls = {
    rootCertificate: Buffer.from(ca),
    certChain: Buffer.from(await pem("client.crt")),
    privateKey: Buffer.from(await pem("client.key")),
  };
  expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----/);

  // The page's key browser writes through the environment's own etcd user...
  const browser = page.getByRole("region", { name: "Key browser" });
  await browser.getByLabel("Key", { exact: true }).fill("greeting");
  await browser.getByLabel("Value").fill("hello");
  await browser.getByRole("button", { name: "Put" }).click();
  await expect(browser.getByTestId("key-row").filter({ hasText: "greeting" })).toContainText("hello");
  // ...and any etcd client reads it with the credential shown once, on every member; another credential is refused.
  for (const endpoint of endpoints) {
    const client = new Etcd3({
      hosts: [endpoint],
      auth: { username, password: productionCredential },
      credentials: tls,
      dialTimeout: 3000,
    });
    try {
      expect(await client.get(`${prefix}greeting`).string()).toBe("hello");
    } finally {
      client.close();
    }
  }
  const stagingUser = new Etcd3({
    hosts: endpoints,
    auth: { username: username, password: stagingCredential },
    credentials: tls,
    dialTimeout: 3000,
  });
  await expect(stagingUser.get(`${prefix}greeting`).string()).rejects.toThrow(/authentication failed|permission denied/i);
  stagingUser.close();

  await page.goto("/environments");
  await page.getByRole("link", { name: "staging", exact: true }).click();
  await expect(page.getByTestId("env-status")).toHaveText("Running");
  await page.getByRole("button", { name: "Remove" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Remove staging?" });
  await expect(dialog.getByRole("button", { name: "Remove environment" })).toBeDisabled();
  await dialog.getByLabel("Environment name").fill("staging");
  await dialog.getByRole("button", { name: "Remove environment" }).click();
  await expect(page).toHaveURL(/\/environments$/);
  await expect(page.getByTestId("quota-replicas")).toHaveText("3 / 6");
  await expect(page.getByTestId("quota-staging")).toHaveText("0 / 1");
  await expect(page.getByTestId("status-staging")).toHaveCount(0);
});

test("the CLI logs in with email and password and shows the running environment", async () => {
  test.setTimeout(60_000);
  const config = mkdtempSync(path.join(os.tmpdir(), "statehouse-e2e-cli-"));
  const run = (...args: string[]) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], {
        env: { ...process.env, XDG_CONFIG_HOME: config, STATEHOUSE_PASSWORD: password },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (b: Buffer) => (out += b.toString()));
      child.stderr.on("data", (b: Buffer) => (err += b.toString()));
      child.on("exit", (code) => resolve({ code, out, err }));
    });
  expect(await run("login", "--url", base, "--email", email)).toMatchObject({ code: 0, out: expect.stringContaining(`as ${email}`) });
  const status = await run("status", "production", "--json");
  expect(status.code).toBe(0);
  const env = JSON.parse(status.out) as { status: string; connection: { endpoints: string[]; username: string; prefix: string } };
  expect(env.status).toBe("running");
  expect(env.connection.endpoints).toHaveLength(3);
  expect(env.connection.username).toMatch(/^env-/);
  expect(env.connection.prefix).toMatch(/^\/env\/.+\/$/);
  expect((await run("environments")).out).toMatch(/production\s+Selma Self's space\s+production\s+3\s+running/);
});
