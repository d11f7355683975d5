import { db as appDb, type Db } from "../db/client";
import { logger } from "./logger";

export interface Health {
  status: "ok" | "unavailable";
  checks: { database: "ok" | "unreachable" };
  latencyMs: number;
}

/** The database answers a trivial query within two seconds, or the app is unavailable. */
export async function checkHealth(db: Db = appDb(), timeoutMs = 2000): Promise<Health> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.$queryRaw`SELECT 1`,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: "ok", checks: { database: "ok" }, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    logger.warn({ err: error }, "health check: database unreachable");
    return { status: "unavailable", checks: { database: "unreachable" }, latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}
