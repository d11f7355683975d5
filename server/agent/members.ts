import type { ChildProcess } from "node:child_process";
import type { DesiredMember, TlsMaterial, ObservedMember } from "../contracts/agent";
import { newLocalMember, reportKey, type LocalMember } from "./local-member";
import {
  lastLogLine,
  memberFiles,
  memberIdsOnDisk,
  pidIsMember,
  prepareDataDir,
  spawnMember,
  terminate,
  wipeMember,
  type StartableMember,
} from "./member-process";
import { memberStatus } from "./member-status";
import { isSecure } from "../contracts/member-url";
import { loadMemberTls, writeMemberTls } from "./member-tls";

/** What the state file keeps per member, for adoption after an agent restart. */
export interface SavedMember {
  spec: DesiredMember;
  pid?: number;
  /** etcd member id (hex), once the member has answered Status. */
  memberId?: string;
}

export interface SupervisorOptions {
  membersDir: string;
  log: (message: string, fields?: Record<string, unknown>) => void;
  /** Something worth saving changed (a pid, a member id, a member gone). */
  onChange: () => void;
  /** What the heartbeat reports changed (running or not, leader, learner, failed): the agent beats early. */
  onReportChange?: () => void;
  probeTimeoutMs?: number;
}

/** A running member that misses this many Status probes in a row is reported starting again (one slow answer is load, not a fault). */
const PROBE_MISSES_TOLERATED = 2;
/** A starting member is probed this often, so its first answer is reported at once; for at most the window, then the periodic tick takes over. */
const STARTING_PROBE_MS = 200;
const STARTING_PROBE_WINDOW_MS = 30_000;
/**
 * A member no longer wanted gets this long after SIGTERM before SIGKILL. Its data dir is wiped right after, so a
 * graceful stop keeps nothing; and etcd 3.4 stopping the leader of a cluster that is going away (every member
 * stopped at once when a state server is removed) tries to hand leadership over and used up a 5 s grace, while
 * the next cluster waited for its ports.
 */
const STOP_GRACE_MS = 1000;
/**
 * The agent's etcd members: starts what the controller wants (only once it
 * sends `initialCluster`), restarts crashed members on the same ports and data
 * dir with backoff, stops and wipes members no longer wanted, and probes each
 * one's health. Starts and stops are serialized; probes run beside them so a
 * slow start never delays the health the heartbeat reports.
 */
export class MemberSupervisor {
  private readonly members = new Map<string, LocalMember>();
  /** Undefined until the controller has answered once: nothing is started or wiped before that. */
  private desired?: Map<string, DesiredMember>;
  /** TLS material the controller sent and the supervisor has not written to disk yet (never kept in the state file). */
  private readonly arrivedTls = new Map<string, TlsMaterial>();
  private work: Promise<void> = Promise.resolve();
  private readonly stops = new Set<Promise<void>>();
  private closed = false;
  private leftoversChecked = false;

  constructor(private readonly options: SupervisorOptions) {}

  /** Members a previous run of this agent started: a live one that is still the same member is adopted; others are killed. */
  async adopt(saved: SavedMember[]): Promise<void> {
    for (const s of saved) {
      const m = newLocalMember(this.options.membersDir, s.spec);
      m.memberId = s.memberId;
      if (isSecure(s.spec)) m.tls = await loadMemberTls(m.files);
      if (s.pid && pidIsMember(s.pid, s.spec.id)) {
        const health = await memberStatus(s.spec, m.tls, 1000);
        if (health && (!s.memberId || health.memberId === s.memberId)) {
          Object.assign(m, { pid: s.pid, state: "running", health, memberId: health.memberId, healthySince: Date.now() });
          this.options.log("adopted member", { member: s.spec.id, pid: s.pid });
        } else {
          try {
            process.kill(s.pid, "SIGKILL");
          } catch {
            // already gone
          }
          m.error = "not answering after the agent restarted";
          this.options.log("killed a member that did not answer", { member: s.spec.id, pid: s.pid });
        }
      } else {
        m.error = "exited while the agent was down";
      }
      this.members.set(s.spec.id, m);
    }
    this.options.onChange();
  }

  observed(): ObservedMember[] {
    return [...this.members.values()]
      .filter((m) => !m.stopping)
      .map((m) => ({
        id: m.spec.id,
        state: m.state,
        clientPort: m.spec.clientPort,
        peerPort: m.spec.peerPort,
        ...(m.pid ? { pid: m.pid } : {}),
        restarts: m.restarts,
        ...(m.error ? { error: m.error.slice(0, 500) } : {}),
        ...(m.health && m.state === "running" ? { health: m.health } : {}),
        ...(m.tls ? { tls: m.tls.fingerprint } : {}),
      }));
  }

  saved(): SavedMember[] {
    return [...this.members.values()].map((m) => ({
      spec: m.spec,
      ...(m.pid ? { pid: m.pid } : {}),
      ...(m.memberId ? { memberId: m.memberId } : {}),
    }));
  }

  /** The controller's latest list; applied in the background (the heartbeat does not wait for starts and stops). */
  setDesired(desired: DesiredMember[]): Promise<void> {
    this.desired = new Map(desired.map(({ tls: _sentOnce, ...spec }) => [spec.id, spec]));
    for (const d of desired) if (d.tls) this.arrivedTls.set(d.id, d.tls);
    return this.enqueue(() => this.reconcile());
  }

  /** Periodic: probe every member's health, then restart what is due. */
  async tick(): Promise<void> {
    await this.probe();
    await this.enqueue(() => this.reconcile());
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.work.then(task);
    this.work = run.catch((error: unknown) => this.options.log("member management failed", { error: String(error) }));
    return this.work;
  }

  private async reconcile() {
    const desired = this.desired;
    if (!desired || this.closed) return;
    for (const m of this.members.values()) if (!desired.has(m.spec.id)) this.stop(m);
    for (const [id, tls] of this.arrivedTls) {
      this.arrivedTls.delete(id);
      const loaded = desired.has(id) ? await writeMemberTls(memberFiles(this.options.membersDir, id), tls) : undefined;
      const m = this.members.get(id);
      if (m && loaded && !m.stopping) m.tls = loaded;
    }
    if (!this.leftoversChecked) {
      this.leftoversChecked = true;
      for (const id of await memberIdsOnDisk(this.options.membersDir)) {
        if (this.members.has(id) || desired.has(id)) continue;
        await wipeMember(memberFiles(this.options.membersDir, id));
        this.options.log("wiped the files of a member no longer wanted", { member: id });
      }
    }
    const now = Date.now();
    for (const d of desired.values()) {
      const m = this.members.get(d.id);
      if (!m) {
        // A port the controller reused from a member still stopping here would fail the bind: start once it is free.
        if (d.initialCluster && !this.portStillHeld(d)) await this.start(newLocalMember(this.options.membersDir, d), 0);
      } else if (!m.stopping && !m.pid && m.state === "failed" && now >= m.retryAt) {
        // Same ports and address for life; the cluster flags as the controller last sent them.
        m.spec = {
          ...m.spec,
          clusterToken: d.clusterToken,
          initialCluster: d.initialCluster ?? m.spec.initialCluster,
          initialClusterState: d.initialClusterState ?? m.spec.initialClusterState,
        };
        if (m.spec.initialCluster) await this.start(m, m.restarts + 1);
      }
    }
  }

  private async start(m: LocalMember, restarts: number) {
    const spec = m.spec as StartableMember;
    // A TLS member starts only with its certificate on disk; until then it is not reported, so the controller sends it.
    if (isSecure(spec) && !(m.tls = await loadMemberTls(m.files))) return;
    this.members.set(spec.id, m);
    m.restarts = restarts;
    try {
      const { wiped } = await prepareDataDir(spec, m.files);
      if (wiped) this.options.log("wiped a data dir made for another cluster", { member: spec.id });
      const child = spawnMember(spec, m.files);
      Object.assign(m, { child, pid: child.pid, state: "starting", error: undefined, health: undefined, healthySince: undefined });
      m.missedProbes = 0;
      child.once("error", (error) => this.exited(m, child, error.message));
      child.once("exit", (code, signal) => this.exited(m, child, String(signal ?? code)));
      this.options.log("member started", { member: spec.id, pid: child.pid, clientPort: spec.clientPort, restarts });
      void this.probeWhileStarting(m, child.pid);
    } catch (error) {
      this.failed(m, `cannot start: ${String(error)}`);
    }
    this.options.onChange();
  }

  private exited(m: LocalMember, child: ChildProcess, how: string) {
    if (m.child !== child) return;
    m.child = undefined;
    m.pid = undefined;
    if (m.stopping || this.closed) return;
    void lastLogLine(m.files).then((line) => {
      if (!m.pid && m.state === "failed") m.error = `exited (${how})${line ? `: ${line}` : ""}`;
    });
    this.failed(m, `exited (${how})`);
    this.options.onChange();
    this.noticeReports();
  }

  private failed(m: LocalMember, error: string) {
    const now = Date.now();
    const delay = m.backoff.next(now, m.healthySince);
    Object.assign(m, { state: "failed", error, health: undefined, healthySince: undefined, retryAt: now + delay });
    this.options.log("member failed", { member: m.spec.id, error, retryInMs: delay });
    setTimeout(() => void this.enqueue(() => this.reconcile()), delay).unref();
  }

  /** Probes a member just started every STARTING_PROBE_MS until it answers (or exits, or the window ends). */
  private async probeWhileStarting(m: LocalMember, pid: number | undefined) {
    const until = Date.now() + STARTING_PROBE_WINDOW_MS;
    while (!this.closed && m.pid === pid && m.state === "starting" && Date.now() < until) {
      await new Promise((r) => setTimeout(r, STARTING_PROBE_MS));
      await this.probeMember(m);
      this.noticeReports();
    }
  }

  /** Calls onReportChange once when any member's reported state, leader or role changed since the last call. */
  private noticeReports() {
    let changed = false;
    for (const m of this.members.values()) {
      const key = reportKey(m);
      if (m.reported !== key) changed = true;
      m.reported = key;
    }
    if (changed) this.options.onReportChange?.();
  }

  private async probe() {
    await Promise.all([...this.members.values()].map((m) => this.probeMember(m)));
    this.noticeReports();
  }

  private async probeMember(m: LocalMember) {
    const pid = m.pid;
    if (!pid || m.stopping) return;
    if (!m.child && !pidIsMember(pid, m.spec.id)) {
      // An adopted member is not our child: its exit is seen here (a zombie no init reaps counts as exited).
      m.pid = undefined;
      this.failed(m, "exited");
      this.options.onChange();
      return;
    }
    const health = await memberStatus(m.spec, m.tls, this.options.probeTimeoutMs ?? 500);
    if (m.pid !== pid || m.stopping) return;
    if (health) {
      const first = m.memberId !== health.memberId;
      Object.assign(m, { state: "running", health, memberId: health.memberId, missedProbes: 0 });
      m.healthySince ??= Date.now();
      if (first) this.options.onChange();
    } else if (++m.missedProbes > PROBE_MISSES_TOLERATED || m.state !== "running") {
      Object.assign(m, { state: "starting", health: undefined, healthySince: undefined });
    }
  }

  private portStillHeld(d: DesiredMember): boolean {
    const ports = [d.clientPort, d.peerPort];
    return [...this.members.values()].some((o) => o.stopping && (ports.includes(o.spec.clientPort) || ports.includes(o.spec.peerPort)));
  }

  /** A member no longer wanted: SIGTERM (SIGKILL after a grace), then its data dir is wiped. */
  private stop(m: LocalMember) {
    if (m.stopping) return;
    m.stopping = true;
    this.options.log("stopping member", { member: m.spec.id, pid: m.pid });
    const done = (async () => {
      if (m.pid) await terminate(m.pid, STOP_GRACE_MS);
      await wipeMember(m.files);
      if (this.members.get(m.spec.id) === m) this.members.delete(m.spec.id);
      this.options.log("member removed and its data wiped", { member: m.spec.id });
      this.options.onChange();
      void this.enqueue(() => this.reconcile()); // a member waiting for its ports starts now
    })().catch((error: unknown) => this.options.log("could not remove member", { member: m.spec.id, error: String(error) }));
    this.stops.add(done);
    void done.finally(() => this.stops.delete(done));
  }

  /** Agent shutdown: every member is stopped (its data kept for the next start); pending removals finish. */
  async close(graceMs = 5000): Promise<void> {
    this.closed = true;
    await this.work;
    await Promise.all([...this.members.values()].map((m) => (m.pid && !m.stopping ? terminate(m.pid, graceMs) : undefined)));
    await Promise.all(this.stops);
    for (const m of this.members.values()) m.pid = undefined;
  }
}
