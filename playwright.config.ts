import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./server/testing/chromium";
import { freePortSync } from "./server/testing/ports";

// A free port unless E2E_PORT names one (other copies of the app may hold 3000 or 3100). Picked
// once, by the runner: its workers load this file again and inherit the choice through the environment.
process.env.E2E_PORT ||= String(freePortSync());
const port = Number(process.env.E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;

/**
 * e2e in Debian's Chromium (Playwright's own browser download cannot work here)
 * against the built app, which scripts/e2e-server.ts starts on a fresh, seeded
 * database. Run `npm run build` first (npm test does).
 */
export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  workers: 2,
  // No retries: a slow path must fail, not pass on its second try (issue 17). The budget is
  // for a hang, not a speed target: a story here signs in, draws the map and waits for the
  // controller on a 2-core machine running the server, Postgres and two browsers at once.
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
      },
    },
  ],
  webServer: {
    command: `node --import tsx scripts/e2e-server.ts`,
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: { E2E_PORT: String(port) },
  },
});
