import { randomBytes } from "node:crypto";
import PgBoss from "pg-boss";
import { ChangeFeed } from "../db/change-feed";
import type { Model } from "../db/feed-keys";
import { createPrismaClient, type Db } from "../db/client";
import { assignPendingEnvironments } from "../services/environment-lifecycle/assign";
import { dispatchQueuedJobs, startJobWorkers } from "../services/runtime/jobs";
import { cleanUpRemovedEnvironments, provisionEnvironments } from "../services/runtime/environment-data";
import { reconcileMembership } from "../services/runtime/membership";
import { reconcileOnce } from "../services/runtime/reconcile";
import { RECONCILE_INTERVAL_MS } from "../services/runtime/settings";
import { LeaderLease } from "./leader";

/** Tables whose changes wake the controller: members' reports, environments, servers, hosts, jobs. */
const WAKING_TABLES = new Set<string>(["Replica", "Environment", "StateServer", "Host", "RuntimeJob"] satisfies Model[]);
/** Woken passes are at least this far apart. */
const WAKE_GAP_MS = 200;

export interface ControllerOptions {
  databaseUrl: string;
  id?: string;
  intervalMs?: number;
  /** Run pg-boss workers for durable jobs (default true). */
  jobs?: boolean;
  /** Run a pass soon (not at the next interval) after a change to what the passes act on (default true). */
  wakeOnChange?: boolean;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * The controller process: every instance competes for the leader lease; the
 * leader runs a level-triggered reconcile pass every interval and dispatches
 * queued jobs; every instance runs job workers.
 */
export class Controller {
  readonly id: string;
  private readonly db: Db;
  private readonly lease: LeaderLease;
  private boss?: PgBoss;
  private timer?: NodeJS.Timeout;
  private timerDueAt = 0;
  private ticking = false;
  private wokenDuringTick = false;
  private lastTickAt = 0;
  private feed?: ChangeFeed;
  private stopped = false;
  passes = 0;
  /** Since when this instance has watched heartbeats without interruption (leadership, database reachable). */
  private observingSince = Date.now();

  constructor(private readonly options: ControllerOptions) {
    this.id = options.id ?? `ctl-${randomBytes(3).toString("hex")}`;
    this.db = createPrismaClient(options.databaseUrl, 4);
    this.lease = new LeaderLease(options.databaseUrl, (leading) => {
      if (leading) this.observingSince = Date.now();
      this.log(leading ? "became leader" : "not leader");
    });
  }

  private log(message: string, fields: Record<string, unknown> = {}) {
    (this.options.log ?? ((m, f) => console.log(JSON.stringify({ controller: this.id, msg: m, ...f }))))(message, fields);
  }

  async start() {
    if (this.options.jobs !== false) await this.startJobs();
    if (this.options.wakeOnChange !== false) {
      this.feed = new ChangeFeed(this.options.databaseUrl);
      this.feed.onChange((table) => {
        if (WAKING_TABLES.has(table)) this.wake();
      });
      await this.feed.start();
    }
    this.schedule(0);
  }

  /**
   * Something a pass acts on changed (a member's report, an environment, a
   * server, a host, a job): run the next pass soon, at most one every
   * WAKE_GAP_MS, so each step of a membership change or a creation waits for
   * the change, not for the interval. The interval still runs passes when
   * nothing is heard (the feed may be down).
   */
  private wake() {
    if (this.stopped) return;
    if (this.ticking) {
      this.wokenDuringTick = true;
      return;
    }
    const at = Math.max(Date.now(), this.lastTickAt + WAKE_GAP_MS);
    if (this.timer && this.timerDueAt <= at) return;
    clearTimeout(this.timer);
    this.schedule(at - Date.now());
  }

  private async startJobs() {
    try {
      const boss = new PgBoss({ connectionString: this.options.databaseUrl, max: 3, application_name: "statehouse-controller-jobs" });
      boss.on("error", (e: Error) => this.log("job queue error", { error: e.message }));
      await boss.start();
      await startJobWorkers(this.db, boss, this.id);
      this.boss = boss;
    } catch (error) {
      // Postgres may be restarting: try again shortly, reconciling meanwhile.
      this.log("job queue unavailable, retrying", { error: String(error) });
      if (!this.stopped) setTimeout(() => void this.startJobs(), 2000).unref();
    }
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    this.timerDueAt = Date.now() + ms;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.ticking = true;
      this.lastTickAt = Date.now();
      void this.tick().finally(() => {
        this.ticking = false;
        const woken = this.wokenDuringTick;
        this.wokenDuringTick = false;
        this.schedule(woken ? WAKE_GAP_MS : (this.options.intervalMs ?? RECONCILE_INTERVAL_MS));
      });
    }, ms);
  }

  async tick() {
    if (!(await this.lease.tick())) return;
    try {
      // New environments first join (or get) a state server, so this same pass places its replicas.
      await assignPendingEnvironments(this.db, this.id);
      const { plan, millis } = await reconcileOnce(this.db, this.id, { observingSince: this.observingSince });
      // Then the data plane: etcd membership per cluster, environments' users and prefixes, removals.
      const membership = await reconcileMembership(this.db, this.id);
      for (const c of membership.changes) this.log("membership", c);
      for (const e of membership.errors) this.log("membership waiting", e);
      await provisionEnvironments(this.db, this.id);
      await cleanUpRemovedEnvironments(this.db, this.id);
      this.passes++;
      const changed = plan.markDown.length + plan.place.length + plan.stop.length + plan.remove.length + plan.statuses.length;
      if (changed) {
        this.log("reconciled", {
          millis: Math.round(millis),
          down: plan.markDown.length,
          place: plan.place.length,
          stop: plan.stop.length,
          remove: plan.remove.length,
          statuses: plan.statuses.length,
        });
      }
      if (this.boss) await dispatchQueuedJobs(this.db, this.boss);
    } catch (error) {
      this.observingSince = Date.now();
      this.log("reconcile pass failed; retrying next tick", { error: String(error).slice(0, 300) });
    }
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.feed?.stop();
    await this.boss?.stop({ graceful: true, timeout: 3000 }).catch(() => undefined);
    await this.lease.release();
    await this.db.$disconnect();
  }
}
