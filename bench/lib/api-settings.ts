import { freePort } from "../../server/testing/ports";

/** What one `npm run bench:api` run measures (from its flags; see bench/api.bench.ts). */
export const SHORT = process.argv.includes("--short");
export const WITHOUT_INDEXES = process.argv.includes("--without-new-indexes");
/** BENCH_API_PORT, else a free port (other copies of the app may run on this machine). */
export const PORT = Number(process.env.BENCH_API_PORT) || (await freePort());
export const BASE = `http://127.0.0.1:${PORT}`;
export const CONNECTIONS = SHORT ? 25 : 100;
export const SECONDS = SHORT ? 2 : 30;
export const WARMUP_SECONDS = SHORT ? 1 : 3;
export const NEW_INDEXES = [
  "Environment_createdAt_id_idx",
  "Environment_updatedAt_idx",
  "Replica_updatedAt_idx",
  "AuditEvent_targetType_targetId_id_idx",
];
export const READ_TARGET = { p99Ms: 50, rps: 2000 };

export const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
export const trpcGet = (procedure: string, input: unknown) =>
  `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
