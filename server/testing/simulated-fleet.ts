import type { Db } from "../db/client";
import { joinTokens } from "./runtime-fixtures";
import { joinHost, type AuthenticatedHost } from "../services/runtime/agent-service";
import { recordHeartbeat } from "../services/runtime/heartbeat";
import { reconcileOnce } from "../services/runtime/reconcile";
import { assignPendingEnvironments } from "../services/environment-lifecycle/assign";
import { cleanUpRemovedEnvironments } from "../services/runtime/environment-data";
import { allocateMemberPorts } from "../services/runtime/member-ports";
import type { DesiredMember } from "../contracts/agent";

/**
 * In-process stand-ins for host agents and the controller, for integration
 * tests of PLACEMENT (where replicas go, drains, failover of rows): hosts join
 * with real join tokens and heartbeat through the real agent service; each
 * desired member is reported running as a voting member on the next beat (no
 * process is started, no etcd membership is made). Data-plane behaviour is
 * tested with real agents and real etcd members (server/testing/process-fleet.ts).
 */
export class SimulatedFleet {
  private readonly hosts: { host: AuthenticatedHost; running: Map<string, DesiredMember> }[] = [];

  constructor(private readonly db: Db) {}

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
        replicas: [...h.running.values()].map((d) => ({
          id: d.id,
          state: "running" as const,
          clientPort: d.clientPort,
          peerPort: d.peerPort,
          health: {
            memberId: (d.ordinal + 1).toString(16),
            leaderId: "1",
            raftTerm: 2,
            raftIndex: 10,
            isLearner: false,
            dbSizeBytes: 20480,
            alarms: [],
          },
        })),
      });
      h.host.state = res.host.state;
      const want = new Set(res.desired.map((d) => d.id));
      for (const id of [...h.running.keys()]) if (!want.has(id)) h.running.delete(id);
      for (const d of res.desired) if (!h.running.has(d.id)) h.running.set(d.id, d);
    }
  }

  /** One controller tick: assign pending environments, reconcile, and finish removals (no cluster data to delete here). */
  async pass() {
    await assignPendingEnvironments(this.db, "test-controller");
    const result = await reconcileOnce(this.db, "test-controller");
    await this.db.$transaction((tx) => allocateMemberPorts(tx));
    await cleanUpRemovedEnvironments(this.db, "test-controller");
    return result;
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
