import path from "node:path";
import { postgresAnswers, startEmbeddedPostgres } from "../db/embedded";

export const PROJECT_DIR = path.resolve(import.meta.dirname, "../..");
const LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * A Postgres server for tests (a URL to its `postgres` database; tests create
 * their own databases on it): TEST_PG_URL when set, else the machine's server on
 * 127.0.0.1:5432 when it answers, else an embedded one under .data/.
 */
export async function ensureTestPostgres(log: (m: string) => void = () => undefined) {
  if (process.env.TEST_PG_URL) return { url: process.env.TEST_PG_URL, stop: async () => undefined };
  if (await postgresAnswers(LOCAL_SERVER)) return { url: LOCAL_SERVER, stop: async () => undefined };
  log("no Postgres on 127.0.0.1:5432: starting an embedded one for the tests");
  const embedded = await startEmbeddedPostgres({
    projectDir: path.join(PROJECT_DIR, ".data", "test"),
    port: Number(process.env.EMBEDDED_TEST_PG_PORT ?? 54330),
    database: "postgres",
    log,
  });
  return { url: embedded.url, stop: embedded.stop };
}

/** The URL of another database on the same server. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
