import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import pg from "pg";
import { databaseUrl, ensureTestPostgres } from "@/server/testing/postgres";

/**
 * The self-service path end to end, against a stack of its own (own database,
 * the built app, a real controller and three real host agents starting real
 * state-server replica processes): sign up, create staging (HA 1) and
 * production (HA 3), watch both reach running without a reload, call every
 * production replica with its credential, be refused with the wrong one,
 * remove staging and see the quota fall. Then the CLI logs in by email.
 */
const port = Number(process.env.E2E_PORT ?? 3100) + 50;
const base = `http://127.0.0.1:${port}`;
const email = `self-${Date.now()}@example.com`;
const password = "a-long-enough-password";
let stack: ChildProcess | undefined;

test.use({ baseURL: base });
test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(150_000);
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
  try {
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "Host" WHERE state = 'ready' AND "lastHeartbeatAt" IS NOT NULL`,
      );
      if ((rows[0]?.n ?? 0) >= 3) break;
      if (Date.now() > deadline) throw new Error("the e2e fleet's three agents did not join");
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

const call = (url: string, credential: string, init: RequestInit = {}) =>
  fetch(url, { ...init, headers: { authorization: `Bearer ${credential}`, "content-type": "application/json" } });

test("sign up, create staging and production, both run, endpoints answer per credential, remove staging and quota falls", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Selma Self");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/environments$/);

  const stagingCredential = await createEnvironment(page, "staging", "staging", "1", true);
  const productionCredential = await createEnvironment(page, "production", "production", "3");

  // Live status on the list: no reload.
  await page.goto("/environments");
  await expect(page.getByTestId("status-staging")).toHaveText("Running", { timeout: 90_000 });
  await expect(page.getByTestId("status-production")).toHaveText("Running", { timeout: 90_000 });
  await expect(page.getByTestId("quota-replicas")).toHaveText("4 / 6");

  await page.getByRole("link", { name: "production", exact: true }).click();
  await expect(page.getByTestId("env-status")).toHaveText("Running");
  await expect(page.getByTestId("replica-row")).toHaveCount(3);
  const endpoints = page.getByTestId("endpoint");
  await expect(endpoints).toHaveCount(3);
  const urls = (await endpoints.allTextContents()).map((u) => u.trim());
  for (const url of urls) {
    const res = await call(`${url}/status`, productionCredential);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: "production", status: "running" });
    const wrong = await call(`${url}/status`, stagingCredential);
    expect([401, 403]).toContain(wrong.status);
  }
  // One state, every replica: written on one, read on another, with revisions.
  const put = await call(`${urls[0]}/kv/greeting`, productionCredential, { method: "PUT", body: JSON.stringify({ value: "hello" }) });
  expect(await put.json()).toMatchObject({ key: "greeting", value: "hello", revision: 1 });
  expect(await (await call(`${urls[2]}/kv/greeting`, productionCredential)).json()).toMatchObject({ value: "hello", revision: 1 });

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
  const env = JSON.parse(status.out) as { status: string; endpoints: string[] };
  expect(env.status).toBe("running");
  expect(env.endpoints).toHaveLength(3);
  expect((await run("environments")).out).toMatch(/production\s+Selma Self's space\s+production\s+3\s+running/);
});
