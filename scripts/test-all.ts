import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { ensureTestPostgres, PROJECT_DIR } from "../server/testing/postgres";
import { ensureEtcd } from "./provision-etcd";

/**
 * `npm test`: every tier in one command — lint, typecheck, unit, integration
 * (real Postgres), build, e2e (Playwright in Debian's Chromium), then every
 * benchmark in its short mode (`npm run bench -- --short`: small instances,
 * still failing on a wrong answer, serving the build made here; results in
 * bench/results/short/) — then a summary and the closing line "N passed, N failed".
 */
const REPORT_DIR = path.join(PROJECT_DIR, "test-results", "reports");
const bin = (name: string) => path.join(PROJECT_DIR, "node_modules", ".bin", name);

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

interface Step {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** A tier that counts what passed and failed: its JSON report and how to read it. */
  report?: { file: string; count: (file: string) => Counts };
}

function run(step: Step, env: NodeJS.ProcessEnv): Promise<number> {
  console.log(`\n▶ ${step.name}: ${[path.basename(step.command), ...step.args].join(" ")}`);
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { cwd: PROJECT_DIR, stdio: "inherit", env: { ...env, ...step.env } });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

function countVitest(file: string): Counts {
  const r = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests };
}

function countPlaywright(file: string): Counts {
  const r = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, skipped: r.stats.skipped };
}

/** bench/run-all.ts's BENCH_REPORT_FILE: one count per benchmark. */
function countBenches(file: string): Counts {
  const r = JSON.parse(readFileSync(file, "utf8")) as { passed: number; failed: number };
  return { passed: r.passed, failed: r.failed, skipped: 0 };
}

async function main() {
  // State servers are etcd clusters: the integration, e2e and bench tiers start real members.
  ensureEtcd((m) => console.log(`[test] ${m}`));
  rmSync(REPORT_DIR, { recursive: true, force: true });
  const postgres = await ensureTestPostgres((m) => console.log(m));
  const env = { ...process.env, TEST_PG_URL: postgres.url, NEXT_TELEMETRY_DISABLED: "1" };
  const reportFile = (name: string) => path.join(REPORT_DIR, `${name}.json`);
  const steps: Step[] = [
    { name: "lint", command: bin("eslint"), args: ["--max-warnings=0", "."] },
    { name: "typecheck", command: bin("tsc"), args: ["--noEmit", "-p", "tsconfig.json"] },
    ...(["unit", "integration"] as const).map((project) => ({
      name: project,
      command: bin("vitest"),
      args: ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${reportFile(project)}`],
      report: { file: reportFile(project), count: countVitest },
    })),
    { name: "build", command: bin("next"), args: ["build"], env: { NODE_ENV: "production" } },
    {
      name: "e2e",
      command: bin("playwright"),
      args: ["test"],
      env: { PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile("e2e") },
      report: { file: reportFile("e2e"), count: countPlaywright },
    },
    {
      // After build: the benches that serve the app find .next current and reuse it. Each takes
      // about a minute at most; the time limit keeps a stuck one from holding CI near its hour.
      name: "bench (short)",
      command: "npm",
      args: ["run", "bench", "--", "--short"],
      env: { BENCH_REPORT_FILE: reportFile("bench"), BENCH_TIMEOUT_S: process.env.BENCH_TIMEOUT_S ?? "300" },
      report: { file: reportFile("bench"), count: countBenches },
    },
  ];
  const results: { name: string; counted: boolean; code: number; passed: number; failed: number; skipped: number; seconds: number }[] = [];
  try {
    for (const step of steps) {
      const started = performance.now();
      const code = await run(step, env);
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      const counts =
        step.report && existsSync(step.report.file)
          ? step.report.count(step.report.file)
          : { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 };
      // A runner that failed without counting a failed test still fails the run.
      results.push({
        name: step.name,
        counted: step.report !== undefined,
        code,
        seconds,
        ...counts,
        failed: counts.failed || (code === 0 ? 0 : 1),
      });
      if (step.name === "build" && code !== 0) break;
    }
  } finally {
    await postgres.stop();
  }
  console.log("\nSummary");
  for (const r of results) {
    const outcome = r.counted ? `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped` : r.code === 0 ? "clean" : "FAILED";
    console.log(`  ${r.name.padEnd(14)} ${outcome.padEnd(36)} ${r.seconds} s`);
  }
  const passed = results.reduce((n, r) => n + (r.counted ? r.passed : 0), 0);
  const failed = results.reduce((n, r) => n + (r.counted ? r.failed : r.code === 0 ? 0 : 1), 0);
  const ranAll = results.length === steps.length;
  console.log(`\n${passed} passed, ${failed + (ranAll ? 0 : 1)} failed`);
  process.exit(failed === 0 && ranAll && results.every((r) => r.code === 0) ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(`npm test could not run: ${(error as Error).message}`);
  process.exit(1);
});
