import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Real processes for runtime tests, the demo fleet and the bench: agents and
 * controllers, each in its own process group (kill -9 of the group takes its
 * replicas with it). `killAll` is for afterAll.
 */
export const PROJECT_DIR = path.resolve(import.meta.dirname, "../..");

export interface Proc {
  name: string;
  child: ChildProcess;
  output: string[];
}

export class ProcessFleet {
  readonly procs = new Map<string, Proc>();
  /** Process groups left behind by a process killed alone (its replicas), killed in killAll. */
  readonly orphanGroups: number[] = [];
  readonly stateDir: string;

  constructor(
    private readonly env: Record<string, string>,
    private readonly echo = false,
    stateDir?: string,
  ) {
    this.stateDir = stateDir ?? mkdtempSync(path.join(os.tmpdir(), "statehouse-agents-"));
  }

  private start(name: string, script: string, args: string[], env: Record<string, string> = {}): Proc {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT_DIR, script), ...args], {
      cwd: PROJECT_DIR,
      env: { ...process.env, ...this.env, ...env, STATEHOUSE_EXIT_WITH_PARENT: String(process.pid) },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const proc: Proc = { name, child, output: [] };
    const keep = (b: Buffer) => {
      const text = b.toString("utf8");
      proc.output.push(text);
      if (proc.output.length > 200) proc.output.shift();
      if (this.echo)
        process.stdout.write(
          text
            .split("\n")
            .filter(Boolean)
            .map((l) => `${new Date().toISOString()} [${name}] ${l}\n`)
            .join(""),
        );
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    this.procs.set(name, proc);
    return proc;
  }

  agent(
    name: string,
    o: {
      controller: string;
      token?: string;
      environmentToken?: string;
      failureDomain: string;
      zone?: string;
      ports: string;
      cpu?: number;
      memory?: number;
    },
  ) {
    return this.start("agent:" + name, "server/agent/main.ts", [
      "--controller",
      o.controller,
      "--name",
      name,
      "--failure-domain",
      o.failureDomain,
      "--ports",
      o.ports,
      "--state-dir",
      this.stateDir,
      "--cpu",
      String(o.cpu ?? 4000),
      "--memory",
      String(o.memory ?? 8192),
      ...(o.token ? ["--join-token", o.token] : []),
      ...(o.environmentToken ? ["--environment", o.environmentToken] : []),
      ...(o.zone ? ["--zone", o.zone] : []),
    ]);
  }

  controller(name: string, env: Record<string, string> = {}) {
    return this.start("controller:" + name, "server/controller/main.ts", [], { CONTROLLER_ID: name, ...env });
  }

  /** kill -9 of the whole process group (the agent and every replica it started). */
  kill9(name: string) {
    const p = this.procs.get(name);
    if (!p?.child.pid) return;
    try {
      process.kill(-p.child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    this.procs.delete(name);
  }

  async stop(name: string, timeoutMs = 8000) {
    const p = this.procs.get(name);
    if (!p?.child.pid || p.child.exitCode !== null) return void this.procs.delete(name);
    const exited = new Promise<void>((r) => p.child.once("exit", () => r()));
    p.child.kill("SIGTERM");
    const timer = setTimeout(() => this.kill9(name), timeoutMs);
    await exited;
    clearTimeout(timer);
    this.kill9(name);
    this.procs.delete(name);
  }

  async stopAll() {
    await Promise.all([...this.procs.keys()].map((n) => this.stop(n)));
  }

  /** kill -9 of the agent process alone: its replicas keep running (adoption test). */
  killProcessOnly(name: string) {
    const p = this.procs.get(name);
    if (!p?.child.pid) return;
    this.orphanGroups.push(p.child.pid);
    process.kill(p.child.pid, "SIGKILL");
    this.procs.delete(name);
  }

  killAll() {
    for (const name of [...this.procs.keys()]) this.kill9(name);
    for (const pgid of this.orphanGroups.splice(0)) {
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }

  /** A test's end: every process stopped (SIGTERM, then SIGKILL), leftovers killed, the agents' state dir removed. */
  async dispose() {
    await this.stopAll();
    this.killAll();
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  output(name: string) {
    return this.procs.get(name)?.output.join("") ?? "";
  }
}

export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}
