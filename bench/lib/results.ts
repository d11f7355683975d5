import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const BENCH_DIR = path.resolve(import.meta.dirname, "..");

/** Where a run's results go: the committed full results, or the git-ignored short ones. */
export const RESULTS_DIR = path.join(BENCH_DIR, "results");
export const SHORT_RESULTS_DIR = path.join(RESULTS_DIR, "short");

/**
 * The directory a benchmark writes its result to: BENCH_RESULTS_DIR when set
 * (`npm run bench` sets it for its children), else bench/results/short/ for a
 * `--short` run, else bench/results/. A short run never overwrites the
 * committed full results that BENCHMARKS.md is rendered from.
 */
export function resultsDir(argv: readonly string[] = process.argv): string {
  if (process.env.BENCH_RESULTS_DIR) return path.resolve(process.env.BENCH_RESULTS_DIR);
  return argv.includes("--short") ? SHORT_RESULTS_DIR : RESULTS_DIR;
}

/** Writes `<name>.json` into resultsDir() and returns its path. */
export function writeBenchResult(name: string, result: unknown, indent = 2): string {
  const dir = resultsDir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, indent)}\n`);
  return file;
}
