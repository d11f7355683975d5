import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import path from "node:path";

export const PROJECT_DIR = path.resolve(import.meta.dirname, "../..");

export interface SupervisedOptions {
  /** Shown in what is logged ("controller-1"). */
  name: string;
  /** A TypeScript entry point under the project, run with tsx. */
  script: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  log: (message: string) => void;
  /** "inherit" for npm start; "pipe" (with onOutput) for tests. */
  stdio?: "inherit" | "pipe";
  onOutput?: (text: string) => void;
  /** First restart delay; doubles per crash up to maxBackoffMs, and starts over after healthyAfterMs of running. */
  backoffMs?: number;
  maxBackoffMs?: number;
  healthyAfterMs?: number;
}

/**
 * A child process that is started again when it dies (with backoff), until
 * stop(). A crash loop waits up to maxBackoffMs between tries; a process that
 * ran healthily for a while counts as new again. Failures to spawn are logged
 * like a crash, never thrown as an unhandled 'error' event.
 */
export class Supervised {
  private child: ChildProcess | null = null;
  private stopping = false;
  private failures = 0;
  private retry: NodeJS.Timeout | undefined;
  restarts = 0;

  constructor(private readonly o: SupervisedOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): this {
    if (this.stopping) return this;
    const { o } = this;
    const stdio: StdioOptions = o.stdio === "pipe" ? ["ignore", "pipe", "pipe"] : "inherit";
    const child = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT_DIR, o.script), ...(o.args ?? [])], {
      cwd: PROJECT_DIR,
      stdio,
      env: { ...o.env, STATEHOUSE_EXIT_WITH_PARENT: String(process.pid) },
    });
    this.child = child;
    child.stdout?.on("data", (b: Buffer) => o.onOutput?.(b.toString("utf8")));
    child.stderr?.on("data", (b: Buffer) => o.onOutput?.(b.toString("utf8")));
    const startedAt = Date.now();
    let gone = false;
    const died = (why: string) => {
      if (gone) return;
      gone = true;
      if (this.stopping) return;
      if (Date.now() - startedAt > (o.healthyAfterMs ?? 30_000)) this.failures = 0;
      const delay = Math.min(o.maxBackoffMs ?? 30_000, (o.backoffMs ?? 1000) * 2 ** this.failures++);
      o.log(`${o.name} ${why}: starting it again in ${(delay / 1000).toFixed(1)} s`);
      this.retry = setTimeout(() => {
        this.retry = undefined;
        this.restarts++;
        this.start();
      }, delay);
    };
    child.on("error", (err) => died(`could not run (${err.message})`));
    child.on("exit", (code, signal) => died(`exited (${signal ?? `code ${code}`})`));
    return this;
  }

  /** No more restarts (Ctrl-C reaches the child itself: its exit is not a crash). */
  halt(): void {
    this.stopping = true;
    clearTimeout(this.retry);
  }

  /** Stops it for good: SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.halt();
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const force = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(force);
  }
}

/**
 * The controllers `npm start` runs: two, supervised. Both compete for the
 * leader lease (a Postgres advisory lock, server/controller/leader.ts): one
 * leads, the other stands by and takes over within a reconcile interval when
 * the leader dies; the dead one is started again and stands by in turn.
 */
export function startControllers(
  databaseUrl: string,
  log: (message: string) => void,
  o: {
    env?: Record<string, string>;
    stdio?: "inherit" | "pipe";
    onOutput?: (name: string, text: string) => void;
    backoffMs?: number;
  } = {},
): Supervised[] {
  return ["controller-1", "controller-2"].map((name) =>
    new Supervised({
      name,
      script: "server/controller/main.ts",
      env: { ...process.env, ...o.env, DATABASE_URL: databaseUrl, CONTROLLER_ID: name },
      log,
      stdio: o.stdio,
      onOutput: o.onOutput && ((text) => o.onOutput!(name, text)),
      backoffMs: o.backoffMs,
    }).start(),
  );
}
