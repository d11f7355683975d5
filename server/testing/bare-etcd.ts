import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { etcdClient } from "../etcd/client";
import { freePort } from "./ports";

/**
 * A bare etcd cluster started by hand (no agent, no controller, no auth): the
 * same-run baseline the data-plane bench compares Statehouse's state servers
 * with, and a cluster for tests of the etcd admin calls. Same binary, same
 * loopback, same timing flags as the agent's members.
 */
export interface BareCluster {
  endpoints: string[];
  members: { name: string; child: ChildProcess; dataDir: string }[];
  startedMs: number;
  /** Starts a member added with member add (learner or not) with `existing`; returns its client URL. */
  join(name: string, peerPort: number, initialCluster: string): Promise<string>;
  stop(): Promise<void>;
}

function spawnMember(
  name: string,
  dataDir: string,
  clientPort: number,
  peerPort: number,
  initialCluster: string,
  state: "new" | "existing",
) {
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const child: ChildProcess = spawn(
    process.env.ETCD_BIN || "/usr/bin/etcd",
    [
      `--name=${name}`,
      `--data-dir=${dataDir}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=${initialCluster}`,
      `--initial-cluster-state=${state}`,
      `--initial-cluster-token=bare-${process.pid}`,
      "--heartbeat-interval=250",
      "--election-timeout=2500",
      "--logger=zap",
      "--log-level=error",
    ],
    { stdio: "ignore", env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ETCD_"))) as NodeJS.ProcessEnv },
  );
  return { name, child, dataDir, client, peer };
}

/**
 * The by-hand replacement of a lost member (what the controller automates):
 * kill the last member, remove it, add a learner on new ports, start it with
 * `existing`, promote it once caught up. Returns the milliseconds it took.
 */
export async function replaceBareMember(cluster: BareCluster): Promise<number> {
  const victim = cluster.members.at(-1)!;
  victim.child.kill("SIGKILL");
  const t0 = performance.now();
  // The same client settings as the controller (no library retries or circuit breaker: a breaker opened by
  // etcd's early "unhealthy cluster" answers stalled the by-hand replacement for minutes).
  const client = etcdClient({ endpoints: cluster.endpoints.slice(0, -1) });
  try {
    const { members } = await client.cluster.memberList({});
    const gone = members.find((m) => m.name === victim.name)!;
    for (;;) {
      try {
        await client.cluster.memberRemove({ ID: gone.ID });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100)); // "unhealthy cluster" right after a start
      }
    }
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    let added;
    for (;;) {
      try {
        added = await client.cluster.memberAdd({ peerURLs: [`http://127.0.0.1:${peerPort}`], isLearner: true });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100)); // "unhealthy cluster" right after the removal
      }
    }
    const name = `${victim.name}-r`;
    const initial = [
      ...added.members.filter((m) => m.name).map((m) => `${m.name}=${m.peerURLs[0]}`),
      `${name}=http://127.0.0.1:${peerPort}`,
    ].join(",");
    const fresh = spawnMember(name, `${victim.dataDir}-r`, clientPort, peerPort, initial, "existing");
    cluster.members.push({ name, child: fresh.child, dataDir: fresh.dataDir });
    for (;;) {
      try {
        await client.cluster.memberPromote({ ID: added.member.ID });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 50)); // the learner is still catching up
      }
    }
    return performance.now() - t0;
  } finally {
    client.close();
  }
}

export async function startBareCluster(size: number): Promise<BareCluster> {
  const root = mkdtempSync(path.join(os.tmpdir(), "bare-etcd-"));
  const ports = await Promise.all(Array.from({ length: size * 2 }, freePort));
  const names = Array.from({ length: size }, (_, i) => `bare-${i}`);
  const initialCluster = names.map((n, i) => `${n}=http://127.0.0.1:${ports[i * 2 + 1]}`).join(",");
  const t0 = performance.now();
  const members = names.map((name, i) => spawnMember(name, path.join(root, name), ports[i * 2]!, ports[i * 2 + 1]!, initialCluster, "new"));
  const endpoints = members.map((m) => m.client);
  const client = etcdClient({ endpoints });
  for (;;) {
    try {
      await client.put("/bench/ready").value("1");
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  client.close();
  const startedMs = performance.now() - t0;
  const cluster: BareCluster = {
    endpoints,
    members: members.map(({ name, child, dataDir }) => ({ name, child, dataDir })),
    startedMs,
    async join(name, peerPort, initial) {
      const fresh = spawnMember(name, path.join(root, name), await freePort(), peerPort, initial, "existing");
      cluster.members.push({ name, child: fresh.child, dataDir: fresh.dataDir });
      return fresh.client;
    },
    async stop() {
      await Promise.all(
        cluster.members.map(
          (m) =>
            new Promise<void>((resolve) => {
              if (m.child.exitCode !== null || m.child.signalCode !== null) return resolve();
              m.child.once("exit", () => resolve());
              m.child.kill("SIGKILL");
            }),
        ),
      );
      rmSync(root, { recursive: true, force: true });
    },
  };
  return cluster;
}
