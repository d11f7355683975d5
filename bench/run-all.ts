import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { RESULTS_DIR, SHORT_RESULTS_DIR } from "./lib/results";

/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process (so one
 * benchmark's heap does not skew the next), then renders BENCHMARKS.md from
 * bench/results/*.json. `--render-only` only re-renders BENCHMARKS.md.
 *
 * `--short` (CI's quick mode, `npm test` runs it) is passed through: every
 * bench runs small and still fails on a wrong answer. Its results go to
 * BENCH_RESULTS_DIR (default bench/results/short/, git-ignored) with their own
 * BENCHMARKS.md there; the committed bench/results/*.json and BENCHMARKS.md
 * are left alone. BENCH_RESULTS_DIR moves a full run's results (and its
 * BENCHMARKS.md) the same way. A short bench still running after
 * BENCH_TIMEOUT_S (600) is interrupted and counts as failed. Exit 1 when any
 * bench failed; BENCH_REPORT_FILE: also write which passed and failed there
 * as JSON (npm test counts them).
 */
const BENCH_DIR = import.meta.dirname;
const SHORT = process.argv.includes("--short");
const RESULTS = process.env.BENCH_RESULTS_DIR ? path.resolve(process.env.BENCH_RESULTS_DIR) : SHORT ? SHORT_RESULTS_DIR : RESULTS_DIR;
// Results kept elsewhere than bench/results/ get their own BENCHMARKS.md next to them.
const ELSEWHERE = RESULTS !== RESULTS_DIR;
const REPORT = ELSEWHERE ? path.join(RESULTS, "BENCHMARKS.md") : path.join(BENCH_DIR, "..", "BENCHMARKS.md");
// `--render-only`: rewrite BENCHMARKS.md from the results already there, running nothing.
const RENDER_ONLY = process.argv.includes("--render-only");
const passThrough = process.argv.slice(2).filter((a) => a !== "--render-only");
// Only short runs have a time limit: a full bench may legitimately wait for a quiet machine.
const TIMEOUT_MS = SHORT ? Number(process.env.BENCH_TIMEOUT_S ?? 600) * 1000 : undefined;

/**
 * A short result a bench wrote over the committed one (a bench that does not
 * read BENCH_RESULTS_DIR yet): moved into RESULTS and the committed file put
 * back. Only a result whose command says --short is moved.
 */
function keepCommittedResult(name: string, before: string | null) {
  const committed = path.join(RESULTS_DIR, `${name}.json`);
  if (!existsSync(committed)) return;
  const after = readFileSync(committed, "utf8");
  if (after === before) return;
  let command = "";
  try {
    command = String((JSON.parse(after) as { command?: unknown }).command ?? "");
  } catch {
    return; // not a result we can judge: left as it is
  }
  if (!command.includes("--short")) return;
  writeFileSync(path.join(RESULTS, `${name}.json`), after);
  if (before === null) rmSync(committed);
  else writeFileSync(committed, before);
  console.log(
    `${name}: its short result was written to bench/results/${name}.json (it ignores BENCH_RESULTS_DIR): moved to ${path.relative(process.cwd(), RESULTS)}/, the committed result restored`,
  );
}

const benches = RENDER_ONLY
  ? []
  : readdirSync(BENCH_DIR)
      .filter((f) => f.endsWith(".bench.ts"))
      .sort();
if (ELSEWHERE && benches.length) {
  mkdirSync(RESULTS, { recursive: true });
  // A bench that fails before writing must not leave an older short result to be rendered as this run's.
  if (RESULTS === SHORT_RESULTS_DIR) for (const f of readdirSync(RESULTS).filter((f) => f.endsWith(".json"))) rmSync(path.join(RESULTS, f));
}
/** Signals a bench's whole process group (the app servers and fleets it started without a group of their own). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

let current: ChildProcess | undefined;
let interrupted = false;
// Each bench runs in its own process group, out of reach of the terminal's Ctrl-C: pass it on.
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    interrupted = true;
    if (current) signalGroup(current, "SIGINT");
    else process.exit(130);
  });

/** One bench in its own process group; past the time limit it gets SIGINT (the benches that start fleets clean up on it), then SIGKILL. */
function runBench(file: string): Promise<{ ok: boolean; why: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(BENCH_DIR, file), ...passThrough], {
    stdio: "inherit",
    env: ELSEWHERE ? { ...process.env, BENCH_RESULTS_DIR: RESULTS } : process.env,
    detached: true,
  });
  current = child;
  let timedOut = false;
  const timer = TIMEOUT_MS
    ? setTimeout(() => {
        timedOut = true;
        signalGroup(child, "SIGINT");
        setTimeout(() => signalGroup(child, "SIGKILL"), 15_000).unref();
      }, TIMEOUT_MS)
    : undefined;
  return new Promise((resolve) => {
    child.on("error", (error) => resolve({ ok: false, why: error.message }));
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      // Whatever the bench left in its group (a server it did not stop) goes with it.
      signalGroup(child, "SIGKILL");
      resolve({ ok: code === 0 && !timedOut, why: timedOut ? `timed out after ${TIMEOUT_MS! / 1000} s` : (signal ?? `exit ${code}`) });
    });
  });
}

let failed = 0;
const ran: { file: string; ok: boolean; seconds: number }[] = [];
for (const file of benches) {
  if (interrupted) break;
  console.log(`\n▶ ${file}${SHORT ? " --short" : ""}`);
  const name = file.replace(/\.bench\.ts$/, "");
  const committed = path.join(RESULTS_DIR, `${name}.json`);
  const before = existsSync(committed) ? readFileSync(committed, "utf8") : null;
  const started = performance.now();
  const run = await runBench(file);
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  if (SHORT && ELSEWHERE) keepCommittedResult(name, before);
  if (!run.ok) failed++;
  ran.push({ file, ok: run.ok, seconds });
  console.log(`◀ ${file}: ${run.ok ? "ok" : `FAILED (${run.why})`} in ${seconds} s`);
}
if (interrupted) process.exit(130);
if (process.env.BENCH_REPORT_FILE) {
  mkdirSync(path.dirname(process.env.BENCH_REPORT_FILE), { recursive: true });
  writeFileSync(
    process.env.BENCH_REPORT_FILE,
    `${JSON.stringify({ short: SHORT, passed: ran.filter((r) => r.ok).length, failed, benches: ran }, null, 2)}\n`,
  );
}

/** Figures as benchmarks write them: `name` or `id`; a baseline is a number or a described measurement. */
interface Figure {
  name?: string;
  id?: string;
  unit?: string;
  target?: string;
  value: number | string;
  baseline?: number | string | null | Record<string, unknown>;
  ratio?: number | null;
  pass?: boolean;
}

function describeBaseline(baseline: Figure["baseline"]): string {
  if (baseline === null || baseline === undefined) return "";
  if (typeof baseline !== "object") return String(baseline);
  const { name, ...measured } = baseline;
  const values = Object.entries(measured)
    .filter(([, v]) => typeof v === "number" || typeof v === "string")
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return name ? `${String(name)}: ${values}` : values;
}

/** EXPLAIN ANALYZE per procedure, without and with a benchmark's new indexes (bench/api.bench.ts writes `explain`). */
interface Explained {
  procedure: string;
  statements: number;
  beforeMs: number;
  afterMs: number;
  queries: { sql: string; before: { executionMs: number; plan: string[] }; after: { executionMs: number; plan: string[] } }[];
}
interface EndpointLoad {
  key: string;
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

const scans = (plan: string[]) =>
  plan
    .filter((l) => /Scan|Sort/.test(l))
    .map((l) => l.trim())
    .join("; ");
function explainSection(name: string, explain: Explained[], before?: EndpointLoad[], after?: EndpointLoad[]): string[] {
  const out = [
    "",
    `## ${name}: read queries, EXPLAIN ANALYZE before/after`,
    "",
    "Median execution time of each procedure's statements (as Prisma sends them), without the new indexes (dropped in a rolled-back transaction) and with them, same run.",
    "",
    "| procedure | statements | before (ms) | after (ms) | what changed |",
    "|---|---|---|---|---|",
  ];
  for (const e of explain) {
    const changed = e.queries
      .filter((q) => scans(q.before.plan) !== scans(q.after.plan))
      .map((q) => `${scans(q.before.plan)} → ${scans(q.after.plan)} (${q.before.executionMs} → ${q.after.executionMs} ms)`)
      .join("<br>");
    out.push(`| ${e.procedure} | ${e.statements} | ${e.beforeMs} | ${e.afterMs} | ${changed.replace(/\|/g, "/") || "same plans"} |`);
  }
  if (before?.length && after?.length) {
    out.push(
      "",
      "Load before (without the new indexes, an earlier run) and after:",
      "",
      "| endpoint | p50 ms | p99 ms | req/s | errors |",
      "|---|---|---|---|---|",
    );
    for (const a of after) {
      const b = before.find((x) => x.key === a.key);
      out.push(
        `| ${a.key} | ${b ? `${b.p50} → ` : ""}${a.p50} | ${b ? `${b.p99} → ` : ""}${a.p99} | ${b ? `${b.rps} → ` : ""}${a.rps} | ${b ? `${b.errors} → ` : ""}${a.errors} |`,
      );
    }
  }
  return out;
}

const rows: string[] = [];
const sections: string[] = [];
for (const file of existsSync(RESULTS)
  ? readdirSync(RESULTS)
      .filter((f) => f.endsWith(".json"))
      .sort()
  : []) {
  const result = JSON.parse(readFileSync(path.join(RESULTS, file), "utf8")) as {
    command?: string;
    machine?: Record<string, unknown>;
    figures?: Figure[];
    explain?: Explained[];
    endpoints?: EndpointLoad[];
    withoutNewIndexes?: EndpointLoad[];
  };
  if (result.explain?.length)
    sections.push(...explainSection(file.replace(/\.json$/, ""), result.explain, result.withoutNewIndexes, result.endpoints));
  for (const f of result.figures ?? []) {
    rows.push(
      `| ${file.replace(/\.json$/, "")} | ${f.name ?? f.id ?? ""} | ${f.target ?? ""} | ${f.value}${f.unit ? ` ${f.unit}` : ""}${f.pass === false ? " (MISSED)" : ""} | ${describeBaseline(f.baseline)} | ${f.ratio ?? ""} |`,
    );
  }
  rows.push(
    `| ${file.replace(/\.json$/, "")} | _machine_ | | ${JSON.stringify(result.machine ?? {}).replace(/\|/g, "/")} | | \`${result.command ?? ""}\` |`,
  );
}
writeFileSync(
  REPORT,
  [
    SHORT ? "# Benchmarks (short run)" : "# Benchmarks",
    "",
    SHORT
      ? `Generated by \`npm run bench -- --short\` from \`${path.relative(path.join(BENCH_DIR, ".."), RESULTS)}/*.json\`: CI's quick correctness run on small instances, not the published figures (those are in BENCHMARKS.md at the top of the repository).`
      : "Generated by `npm run bench` from `bench/results/*.json`. Baselines are measured in the same run, so ratios hold on a noisy machine.",
    "",
    "| benchmark | figure | target | measured | baseline (same run) | ratio / command |",
    "|---|---|---|---|---|---|",
    ...rows,
    ...sections,
    "",
  ].join("\n"),
);
if (ran.length) {
  console.log("\nBenchmarks");
  for (const r of ran) console.log(`  ${r.file.padEnd(24)} ${(r.ok ? "ok" : "FAILED").padEnd(8)} ${r.seconds} s`);
  console.log(`  ${"total".padEnd(24)} ${"".padEnd(8)} ${Math.round(ran.reduce((t, r) => t + r.seconds, 0) * 10) / 10} s`);
}
console.log(`\n${path.relative(process.cwd(), REPORT)} written (${rows.length} rows); ${failed} benchmark(s) failed`);
process.exit(failed ? 1 : 0);
