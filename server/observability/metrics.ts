import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

const globalForMetrics = globalThis as unknown as { statehouseMetrics?: ReturnType<typeof createMetrics> };

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "statehouse_" });
  return {
    registry,
    trpcRequests: new Counter({
      name: "statehouse_trpc_requests_total",
      help: "tRPC procedure calls by path, type and outcome code",
      labelNames: ["path", "type", "code"] as const,
      registers: [registry],
    }),
    trpcDuration: new Histogram({
      name: "statehouse_trpc_duration_seconds",
      help: "tRPC procedure duration",
      labelNames: ["path", "type"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    signInAttempts: new Counter({
      name: "statehouse_sign_in_attempts_total",
      help: "Sign-in attempts by outcome",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
  };
}

// One registry per process, even when Next.js reloads modules in development.
const metrics = (globalForMetrics.statehouseMetrics ??= createMetrics());
export const { registry, trpcRequests, trpcDuration, signInAttempts } = metrics;
