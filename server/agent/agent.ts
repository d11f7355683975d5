import type { ChildProcess } from "node:child_process";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { DesiredReplica, HeartbeatResponse, JoinResponse, ObservedReplica } from "../contracts/agent";
import { freePort, pidAlive, replicaAnswers, spawnReplica, type ReplicaSpec } from "./replica-process";

export interface AgentOptions {
  controllerUrl: string;
  joinToken?: string;
  environmentToken?: string;
  name: string;
  zone?: string;
  failureDomain: string;
  cpuMillis: number;
  memoryMiB: number;
  maxReplicas?: number;
  stateDir: string;
  heartbeatMs?: number;
  ports: [number, number];
  /** Environment for replica processes (DATABASE_URL). */
  replicaEnv: NodeJS.ProcessEnv;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** Called when the agent stops itself (its credential was refused). */
  onFatal?: (code: number) => void;
}

interface LocalReplica extends ReplicaSpec {
  port: number;
  pid?: number;
  child?: ChildProcess;
  state: "starting" | "running" | "failed";
  restarts: number;
  /** Earliest time of the next restart after a crash (backoff). */
  retryAt: number;
  error?: string;
  /** Adopted from a previous run of the agent: not our child, watched by health checks. */
  adopted: boolean;
  stopping: boolean;
}

interface StateFile {
  hostId: string;
  credential: string;
  replicas: { id: string; stateServerId: string; ordinal: number; port: number; pid: number }[];
}

class FatalAgentError extends Error {}

/**
 * The host agent: joins once (the credential goes to a 0600 state file),
 * heartbeats its capacity and observed replicas, and starts or stops
 * state-server replica processes to match the desired list it gets back.
 */
export class HostAgent {
  private credential = "";
  hostId = "";
  private readonly replicas = new Map<string, LocalReplica>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private interval: number;
  private beating = false;
  private seed = Math.floor(Math.random() * 10_000);

  constructor(private readonly options: AgentOptions) {
    this.interval = options.heartbeatMs ?? 1000;
  }

  private log(message: string, fields: Record<string, unknown> = {}) {
    (this.options.log ?? ((m, f) => console.log(JSON.stringify({ agent: this.options.name, msg: m, ...f }))))(message, fields);
  }

  private get stateFile() {
    return path.join(this.options.stateDir, `${this.options.name}.json`);
  }

  private async saveState() {
    const state: StateFile = {
      hostId: this.hostId,
      credential: this.credential,
      replicas: [...this.replicas.values()].flatMap((r) =>
        r.pid ? [{ id: r.id, stateServerId: r.stateServerId, ordinal: r.ordinal, port: r.port, pid: r.pid }] : [],
      ),
    };
    await mkdir(this.options.stateDir, { recursive: true, mode: 0o700 });
    const tmp = `${this.stateFile}.tmp`;
    await writeFile(tmp, JSON.stringify(state), { mode: 0o600 });
    await rename(tmp, this.stateFile);
  }

  private async post<T>(route: string, body: unknown, auth = true): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.options.controllerUrl}${route}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${this.credential}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as T };
  }

  async start(): Promise<void> {
    const saved = await readFile(this.stateFile, "utf8").then(
      (t) => JSON.parse(t) as StateFile,
      () => null,
    );
    if (saved) {
      this.credential = saved.credential;
      this.hostId = saved.hostId;
      await this.adopt(saved.replicas);
    } else {
      await this.join();
    }
    this.loop();
  }

  private async join() {
    const o = this.options;
    for (let attempt = 0; ; attempt++) {
      try {
        const { status, body } = await this.post<JoinResponse & { error?: { message: string } }>(
          "/api/agent/join",
          {
            joinToken: o.joinToken,
            environmentToken: o.environmentToken,
            name: o.name,
            zone: o.zone,
            failureDomain: o.failureDomain,
            cpuMillis: o.cpuMillis,
            memoryMiB: o.memoryMiB,
            maxReplicas: o.maxReplicas,
          },
          false,
        );
        if (status >= 400 && status < 500 && status !== 429)
          throw new FatalAgentError(`join refused (${status}): ${body.error?.message ?? ""}`);
        if (status === 200) {
          this.credential = body.credential;
          this.hostId = body.hostId;
          this.interval = o.heartbeatMs ?? body.heartbeatIntervalMs;
          await this.saveState();
          this.log("joined", { hostId: body.hostId });
          return;
        }
      } catch (error) {
        if (error instanceof FatalAgentError) throw error;
      }
      await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
    }
  }

  /** Replicas a previous run of this agent started: keep the healthy ones, kill the rest. */
  private async adopt(previous: StateFile["replicas"]) {
    for (const r of previous) {
      if (pidAlive(r.pid) && (await replicaAnswers(r.port, r.id))) {
        this.replicas.set(r.id, { ...r, state: "running", restarts: 0, retryAt: 0, adopted: true, stopping: false });
        this.log("adopted replica", { replica: r.id, pid: r.pid });
      } else if (pidAlive(r.pid)) {
        try {
          process.kill(r.pid, "SIGKILL");
        } catch {
          // already gone
        }
        this.log("cleaned up stale replica", { replica: r.id, pid: r.pid });
      }
    }
    await this.saveState();
  }

  private loop() {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => {
        void this.beat().finally(() => this.loop());
      },
      this.beating ? this.interval : 0,
    );
    this.beating = true;
  }

  private observed(): ObservedReplica[] {
    return [...this.replicas.values()]
      .filter((r) => !r.stopping)
      .map((r) => ({
        id: r.id,
        state: r.state,
        port: r.port,
        ...(r.pid ? { pid: r.pid } : {}),
        restarts: r.restarts,
        ...(r.error ? { error: r.error } : {}),
      }));
  }

  async beat(): Promise<void> {
    await this.checkAdopted();
    let response: { status: number; body: HeartbeatResponse & { error?: { message: string } } };
    try {
      response = await this.post("/api/agent/heartbeat", {
        cpuMillis: this.options.cpuMillis,
        memoryMiB: this.options.memoryMiB,
        replicas: this.observed(),
      });
    } catch (error) {
      this.log("heartbeat failed; replicas keep running", { error: String(error) });
      return;
    }
    if (response.status === 401) {
      this.log("host credential refused: stopping", { error: response.body.error?.message });
      this.options.onFatal?.(await this.stop(3));
      return;
    }
    if (response.status !== 200) {
      this.log("heartbeat not accepted", { status: response.status, error: response.body.error?.message });
      return;
    }
    await this.converge(response.body.desired);
  }

  private async converge(desired: DesiredReplica[]) {
    const want = new Map(desired.map((d) => [d.id, d]));
    for (const r of this.replicas.values()) if (!want.has(r.id)) this.stopReplica(r);
    const now = Date.now();
    for (const d of desired) {
      const r = this.replicas.get(d.id);
      if (!r) await this.startReplica({ id: d.id, stateServerId: d.stateServerId, ordinal: d.ordinal }, 0);
      else if (r.state === "failed" && !r.child && !r.adopted && now >= r.retryAt) await this.startReplica(r, r.restarts + 1);
    }
  }

  private async startReplica(spec: ReplicaSpec, restarts: number) {
    const taken = new Set([...this.replicas.values()].map((r) => r.port));
    const port = await freePort(this.options.ports[0], this.options.ports[1], taken, this.seed++);
    const local: LocalReplica = { ...spec, port, state: "starting", restarts, retryAt: 0, adopted: false, stopping: false };
    this.replicas.set(spec.id, local);
    const child = spawnReplica(spec, port, this.options.replicaEnv, () => {
      local.state = "running";
      local.error = undefined;
      this.log("replica running", { replica: spec.id, port });
    });
    local.child = child;
    local.pid = child.pid;
    child.on("exit", (code, signal) => {
      local.child = undefined;
      local.pid = undefined;
      if (local.stopping || this.stopped) {
        if (this.replicas.get(spec.id) === local) this.replicas.delete(spec.id);
        void this.saveState().catch(() => undefined);
        return;
      }
      local.state = "failed";
      local.error = `exited (${signal ?? code})`;
      // Crash-restart backoff: 0.5 s, 1 s, 2 s … capped at 30 s.
      local.retryAt = Date.now() + Math.min(30_000, 500 * 2 ** Math.min(restarts, 6));
      this.log("replica exited", { replica: spec.id, code, signal });
    });
    await this.saveState();
  }

  private stopReplica(r: LocalReplica) {
    if (r.stopping) return;
    r.stopping = true;
    this.log("stopping replica", { replica: r.id });
    if (r.child) r.child.kill("SIGTERM");
    else if (r.pid && pidAlive(r.pid)) process.kill(r.pid, "SIGTERM");
    if (!r.child) this.replicas.delete(r.id);
  }

  /** Adopted replicas are not our children: watch them by pid. */
  private async checkAdopted() {
    for (const r of this.replicas.values()) {
      if (r.adopted && r.state === "running" && (!r.pid || !pidAlive(r.pid))) {
        r.state = "failed";
        r.pid = undefined;
        r.adopted = false;
        r.error = "adopted replica exited";
        r.retryAt = Date.now();
      }
    }
  }

  /** Stops heartbeating and every replica (SIGTERM, then SIGKILL after 5 s). */
  async stop(code = 0): Promise<number> {
    if (this.stopped) return code;
    this.stopped = true;
    clearTimeout(this.timer);
    const exits = [...this.replicas.values()].map(
      (r) =>
        new Promise<void>((resolve) => {
          if (!r.child) {
            if (r.pid && pidAlive(r.pid)) process.kill(r.pid, "SIGTERM");
            return resolve();
          }
          const kill = setTimeout(() => r.child?.kill("SIGKILL"), 5000);
          r.child.once("exit", () => {
            clearTimeout(kill);
            resolve();
          });
          r.child.kill("SIGTERM");
        }),
    );
    await Promise.all(exits);
    this.replicas.clear();
    await this.saveState().catch(() => undefined);
    return code;
  }
}

export { FatalAgentError };
