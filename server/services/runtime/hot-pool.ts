import pg from "pg";
import { requireDatabaseUrl } from "../../env";

const globalForPool = globalThis as unknown as { statehouseHotPool?: pg.Pool };

/** The app's plain pg pool for the agent heartbeat hot path (kept on globalThis across dev reloads). */
export function hotPool(): pg.Pool {
  if (!globalForPool.statehouseHotPool) {
    const pool = new pg.Pool({ connectionString: requireDatabaseUrl(), max: 8 });
    pool.on("error", () => undefined);
    globalForPool.statehouseHotPool = pool;
  }
  return globalForPool.statehouseHotPool;
}
