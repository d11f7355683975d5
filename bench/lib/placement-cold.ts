import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type PlacementProblem, placeReplicas } from "../../server/core/placement";
import { median } from "./machine";
import { round, timeIt } from "./placement-check";

const REPO = path.resolve(import.meta.dirname, "../..");

/** Engine time (the CLI's stats.millis) of `npm run place` in `runs` fresh processes, each given `problem` on stdin. */
export function cliEngineMs(problem: PlacementProblem, runs: number): number[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), "place-cold-"));
  const file = path.join(dir, "problem.json");
  writeFileSync(file, JSON.stringify(problem));
  const out: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      // What `npm run place` runs (tsx scripts/place.ts), without npm's own start-up around it.
      const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/place.ts"], {
        cwd: REPO,
        input: readFileSync(file),
        maxBuffer: 1 << 28,
        encoding: "utf8",
      });
      if (r.status !== 0) throw new Error(`place exited ${r.status}: ${r.stderr}`);
      out.push((JSON.parse(r.stdout) as { stats: { millis: number } }).stats.millis);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/**
 * One figure for a CLI case: engine time in a fresh process (median of
 * `runs`, each the first call in its process) next to the warm figure
 * (median of in-process calls after warm-up) for the same problem.
 */
export function coldFigure(id: string, target: string, limitMs: number, problem: PlacementProblem, runs: number, warmRuns: number) {
  const cold = cliEngineMs(problem, runs);
  for (let i = 0; i < 3; i++) placeReplicas(problem);
  const warm = Array.from({ length: warmRuns }, () => timeIt(() => placeReplicas(problem)).ms);
  const coldMs = median(cold);
  return {
    id,
    target,
    value: round(coldMs),
    unit: `ms engine time (stats.millis), median of ${runs} fresh \`npm run place\` processes`,
    pass: coldMs <= limitMs,
    samples: cold.map((x) => round(x)),
    minMs: round(Math.min(...cold)),
    baseline: { name: "warm: same problem, in-process after 3 warm-up calls", ms: round(median(warm)) },
    ratio: round(coldMs / median(warm), 1),
    ratioMeaning: "cold / warm",
  };
}
