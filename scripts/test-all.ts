import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { ensureTestPostgres, PROJECT_DIR } from "../server/testing/postgres";

/**
 * `npm test`: every tier in one command — lint, typecheck, unit, integration
 * (real Postgres), build, e2e (Playwright in Debian's Chromium) — then a summary
 * and the closing line "N passed, N failed".
 */
const REPORT_DIR = path.join(PROJECT_DIR, "test-results", "reports");
const bin = (name: string) => path.join(PROJECT_DIR, "node_modules", ".bin", name);

interface Step {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  report?: string;
}

function run(step: Step, env: NodeJS.ProcessEnv): Promise<number> {
  console.log(`\n▶ ${step.name}: ${[path.basename(step.command), ...step.args].join(" ")}`);
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { cwd: PROJECT_DIR, stdio: "inherit", env: { ...env, ...step.env } });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

function countVitest(file: string) {
  const r = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests };
}

function countPlaywright(file: string) {
  const r = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, skipped: r.stats.skipped };
}

async function main() {
  rmSync(REPORT_DIR, { recursive: true, force: true });
  const postgres = await ensureTestPostgres((m) => console.log(m));
  const env = { ...process.env, TEST_PG_URL: postgres.url, NEXT_TELEMETRY_DISABLED: "1" };
  const vitestReport = (name: string) => path.join(REPORT_DIR, `${name}.json`);
  const steps: Step[] = [
    { name: "lint", command: bin("eslint"), args: ["--max-warnings=0", "."] },
    { name: "typecheck", command: bin("tsc"), args: ["--noEmit", "-p", "tsconfig.json"] },
    ...(["unit", "integration"] as const).map((project) => ({
      name: project,
      command: bin("vitest"),
      args: ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport(project)}`],
      report: vitestReport(project),
    })),
    { name: "build", command: bin("next"), args: ["build"], env: { NODE_ENV: "production" } },
    {
      name: "e2e",
      command: bin("playwright"),
      args: ["test"],
      env: { PLAYWRIGHT_JSON_OUTPUT_NAME: vitestReport("e2e") },
      report: vitestReport("e2e"),
    },
  ];
  const results: { name: string; code: number; passed: number; failed: number; skipped: number; seconds: number }[] = [];
  try {
    for (const step of steps) {
      const started = performance.now();
      const code = await run(step, env);
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      const counts =
        step.report && existsSync(step.report)
          ? step.name === "e2e"
            ? countPlaywright(step.report)
            : countVitest(step.report)
          : { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 };
      // A runner that failed without counting a failed test still fails the run.
      results.push({ name: step.name, code, seconds, ...counts, failed: counts.failed || (code === 0 ? 0 : 1) });
      if (step.name === "build" && code !== 0) break;
    }
  } finally {
    await postgres.stop();
  }
  console.log("\nSummary");
  for (const r of results) {
    const counted = r.name === "lint" || r.name === "typecheck" || r.name === "build" ? (r.code === 0 ? "clean" : "FAILED") : `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`;
    console.log(`  ${r.name.padEnd(12)} ${counted.padEnd(36)} ${r.seconds} s`);
  }
  const tests = results.filter((r) => ["unit", "integration", "e2e"].includes(r.name));
  const passed = tests.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + (["unit", "integration", "e2e"].includes(r.name) ? r.failed : r.code === 0 ? 0 : 1), 0);
  const ranAll = results.length === steps.length;
  console.log(`\n${passed} passed, ${failed + (ranAll ? 0 : 1)} failed`);
  process.exit(failed === 0 && ranAll && results.every((r) => r.code === 0) ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(`npm test could not run: ${(error as Error).message}`);
  process.exit(1);
});
