import { randomBytes } from "node:crypto";
import path from "node:path";
import type { HeartbeatResponse, JoinResponse } from "../contracts/agent";
import { MemberSupervisor, type SavedMember } from "./members";
import { StateStore } from "./state-store";

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
  /** The range the controller may allocate member ports from (reported at join). */
  ports: [number, number];
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** Called when the agent stops itself (its credential was refused). */
  onFatal?: (code: number) => void;
}

interface StateFile {
  /** Made once, before the first join attempt, so a retried join is recognised as the same agent. */
  installKey: string;
  hostId?: string;
  credential?: string;
  members: SavedMember[];
}

class FatalAgentError extends Error {}

/** A failed heartbeat is retried sooner than the interval (250 ms, doubling up to the interval). */
const RETRY_BASE_MS = 250;
/** Early heartbeats (a member's report changed) are at least this far apart. */
const EARLY_BEAT_GAP_MS = 150;

/**
 * The host agent: joins once (the credential goes to a 0600 state file),
 * heartbeats its capacity and the health of its etcd members, and hands the
 * desired member list it gets back to the MemberSupervisor. The heartbeat
 * timer never waits for member management, so a busy host still beats.
 */
export class HostAgent {
  hostId = "";
  private state: StateFile = { installKey: "", members: [] };
  private readonly store: StateStore<StateFile>;
  private readonly members: MemberSupervisor;
  private beatTimer?: NodeJS.Timeout;
  private healthTimer?: NodeJS.Timeout;
  private stopped = false;
  private interval: number;
  private failures = 0;
  private beating = false;
  private beatAgain = false;
  private lastBeatAt = 0;

  constructor(private readonly options: AgentOptions) {
    this.interval = options.heartbeatMs ?? 1000;
    this.store = new StateStore(path.join(options.stateDir, `${options.name}.json`));
    this.members = new MemberSupervisor({
      membersDir: path.join(options.stateDir, options.name, "members"),
      log: (m, f) => this.log(m, f),
      onChange: () => void this.save(),
      onReportChange: () => this.beatSoon(),
    });
  }

  private log(message: string, fields: Record<string, unknown> = {}) {
    (this.options.log ?? ((m, f) => console.log(JSON.stringify({ agent: this.options.name, msg: m, ...f }))))(message, fields);
  }

  private save() {
    return this.store
      .save({ ...this.state, members: this.members.saved() })
      .catch((error: unknown) => this.log("could not save the state file", { error: String(error) }));
  }

  private async post<T>(route: string, body: unknown, auth = true, timeoutMs = 5000): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.options.controllerUrl}${route}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${this.state.credential}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as T };
  }

  async start(): Promise<void> {
    const saved = await this.store.read();
    // Field by field: a state file from an older agent may hold other fields (its `replicas`), not carried on.
    if (saved) this.state = { installKey: saved.installKey ?? "", hostId: saved.hostId, credential: saved.credential, members: [] };
    if (!this.state.installKey) {
      this.state.installKey = randomBytes(24).toString("base64url");
      await this.save();
    }
    if (this.state.credential && this.state.hostId) {
      this.hostId = this.state.hostId;
      await this.members.adopt(Array.isArray(saved?.members) ? saved.members : []);
    } else {
      await this.join();
    }
    this.scheduleBeat(0);
    this.scheduleHealth();
  }

  private async join() {
    const o = this.options;
    for (let attempt = 0; !this.stopped; attempt++) {
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
            installKey: this.state.installKey,
            portFrom: o.ports[0],
            portTo: o.ports[1],
          },
          false,
        );
        if (status >= 400 && status < 500 && status !== 429)
          throw new FatalAgentError(`join refused (${status}): ${body.error?.message ?? ""}`);
        if (status === 200) {
          this.state.credential = body.credential;
          this.state.hostId = this.hostId = body.hostId;
          this.interval = o.heartbeatMs ?? body.heartbeatIntervalMs;
          await this.save();
          this.log("joined", { hostId: body.hostId, attempts: attempt + 1 });
          return;
        }
      } catch (error) {
        if (error instanceof FatalAgentError) throw error;
        this.log("join attempt failed; retrying", { error: String(error) });
      }
      await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
    }
  }

  /** Heartbeats at a fixed rate from their own timer; the answer's member changes are applied in the background. */
  private scheduleBeat(delayMs: number) {
    if (this.stopped) return;
    clearTimeout(this.beatTimer);
    this.beatTimer = setTimeout(() => void this.beatOnTimer(), delayMs);
  }

  private async beatOnTimer() {
    this.beating = true;
    let next = this.interval;
    try {
      next = await this.beat();
    } finally {
      this.beating = false;
    }
    if (this.beatAgain && this.failures === 0) {
      this.beatAgain = false;
      next = Math.min(next, EARLY_BEAT_GAP_MS);
    }
    this.scheduleBeat(next);
  }

  /**
   * A member's reported state changed (it answers now, lost or found a leader,
   * was promoted, failed): beat now rather than at the next interval, so the
   * controller takes its next membership step without waiting; at most one
   * early beat per EARLY_BEAT_GAP_MS, and none while beats are failing.
   */
  beatSoon() {
    if (this.stopped || !this.hostId || this.failures > 0) return;
    if (this.beating) {
      this.beatAgain = true;
      return;
    }
    this.scheduleBeat(Math.max(0, this.lastBeatAt + EARLY_BEAT_GAP_MS - Date.now()));
  }

  private scheduleHealth() {
    if (this.stopped) return;
    this.healthTimer = setTimeout(() => void this.members.tick().finally(() => this.scheduleHealth()), Math.min(this.interval, 1000));
  }

  private retryDelay() {
    this.failures++;
    return Math.min(this.interval, RETRY_BASE_MS * 2 ** (this.failures - 1));
  }

  /** One heartbeat; returns the delay before the next one. */
  async beat(): Promise<number> {
    const started = (this.lastBeatAt = Date.now());
    let response: { status: number; body: HeartbeatResponse & { error?: { message: string } } };
    try {
      // A hung beat is given up well before the host would be declared down, so a retry can still make it.
      const timeoutMs = Math.min(5000, Math.max(2000, 2 * this.interval));
      const beat = { cpuMillis: this.options.cpuMillis, memoryMiB: this.options.memoryMiB, replicas: this.members.observed() };
      response = await this.post("/api/agent/heartbeat", beat, true, timeoutMs);
    } catch (error) {
      this.log("heartbeat failed; members keep running", { error: String(error) });
      return this.retryDelay();
    }
    if (response.status === 401) {
      this.log("host credential refused: stopping", { error: response.body.error?.message });
      this.options.onFatal?.(await this.stop(3));
      return 0;
    }
    if (response.status !== 200) {
      this.log("heartbeat not accepted", { status: response.status, error: response.body.error?.message });
      return this.retryDelay();
    }
    this.failures = 0;
    if (!this.options.heartbeatMs && response.body.heartbeatIntervalMs > 0) this.interval = response.body.heartbeatIntervalMs;
    void this.members.setDesired(response.body.desired);
    return Math.max(0, this.interval - (Date.now() - started));
  }

  /** Stops heartbeating and every member (SIGTERM, then SIGKILL after 5 s); their data dirs are kept for the next start. */
  async stop(code = 0): Promise<number> {
    if (this.stopped) return code;
    this.stopped = true;
    clearTimeout(this.beatTimer);
    clearTimeout(this.healthTimer);
    await this.members.close();
    await this.save();
    return code;
  }
}

export { FatalAgentError };
