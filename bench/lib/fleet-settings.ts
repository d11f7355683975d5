import path from "node:path";
import { PROJECT_DIR } from "../../server/testing/process-fleet";

/** What one `npm run bench:fleet` run measures (from its flags; see bench/fleet.bench.ts). */
export const SHORT = process.argv.includes("--short");
/** Only the heartbeat load, nothing written (for tuning the hot path). */
export const HEARTBEAT_ONLY = process.argv.includes("--heartbeat-only");
export const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
export const AGENTS = Number(arg("--agents") ?? 1000);
export const SECONDS = SHORT ? 8 : 20;
export const WARMUP_S = 3;
export const LOWER_AGENTS = 200;
export const TRIALS = SHORT ? 5 : 20;
/** next start's rate: one Node.js event loop is saturated well below 1,000 heartbeats/s here. */
export const NEXT_AGENTS = SHORT ? Math.min(AGENTS, LOWER_AGENTS) : AGENTS;
export const AGENT_API_WORKERS = Number(process.env.AGENT_API_WORKERS ?? 1);
export const WITH_NEXT = !process.argv.includes("--no-next");
/** The bench's own build, so a running e2e or `npm start` keeps its .next. */
export const DIST_DIR = ".data/next-bench";
export const NEXT = path.join(PROJECT_DIR, "node_modules", ".bin", "next");

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
export const round = (x: number) => Math.round(x * 10) / 10;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
