import type { Db } from "../db/client";
import { joinTokens } from "./runtime-fixtures";
import { joinHost, recordHeartbeat, type AuthenticatedHost } from "../services/runtime/agent-service";
import { reconcileOnce } from "../services/runtime/reconcile";
import { assignPendingEnvironments } from "../services/environment-lifecycle/assign";

/**
 * In-process stand-ins for host agents and the controller, for integration
 * tests of the lifecycle: hosts join with real join tokens and heartbeat
 * through the real agent service; each desired replica is reported running on
 * the next beat (no process is started). `pass()` is one controller tick.
 */
export class SimulatedFleet {
  private readonly hosts: { host: AuthenticatedHost; running: Map<string, number> }[] = [];
  private nextPort: number;

  constructor(
    private readonly db: Db,
    basePort = 46_100,
  ) {
    this.nextPort = basePort;
  }

  async join(zoneId: string, names: string[], domains: string[]) {
    const tokens = await joinTokens(this.db, zoneId, names.length);
    for (const [i, name] of names.entries()) {
      const joined = await joinHost(this.db, {
        joinToken: tokens[i]!,
        name,
        failureDomain: domains[i % domains.length]!,
        cpuMillis: 8000,
        memoryMiB: 16384,
      });
      this.hosts.push({ host: { id: joined.hostId, name, state: "ready" }, running: new Map() });
    }
  }

  /** Every host heartbeats once, then starts (and next time reports) what it was told to run. */
  async heartbeat() {
    for (const h of this.hosts) {
      const res = await recordHeartbeat(this.db, h.host, {
        cpuMillis: 8000,
        memoryMiB: 16384,
        replicas: [...h.running].map(([id, port]) => ({ id, state: "running" as const, clientPort: port, peerPort: port })),
      });
      h.host.state = res.host.state;
      const want = new Set(res.desired.map((d) => d.id));
      for (const id of [...h.running.keys()]) if (!want.has(id)) h.running.delete(id);
      for (const d of res.desired) if (!h.running.has(d.id)) h.running.set(d.id, this.nextPort++);
    }
  }

  /** One controller tick: assign pending environments, then reconcile. */
  async pass() {
    await assignPendingEnvironments(this.db, "test-controller");
    return reconcileOnce(this.db, "test-controller");
  }

  /** Ticks and heartbeats until nothing changes (or `rounds` run out). */
  async converge(rounds = 6) {
    for (let i = 0; i < rounds; i++) {
      await this.pass();
      await this.heartbeat();
    }
    await this.pass();
  }

  runningReplicaIds() {
    return this.hosts.flatMap((h) => [...h.running.keys()]);
  }
}
