import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { DesiredMember } from "../contracts/agent";
import { isSecure, memberUrl } from "../contracts/member-url";

/**
 * One etcd member as a child process of the host agent. The controller decides
 * its name, ports and cluster flags (DesiredMember); this module turns them into
 * an `etcd` command line, owns the member's files under the agent's state dir,
 * and asks a member for its health.
 *
 * Files per member, in `<stateDir>/<agent>/members/`: `<id>/` is etcd's data
 * dir, `<id>.json` the cluster it was created for, `<id>.log` etcd's output,
 * and for a TLS cluster `<id>.ca.crt`, `<id>.crt` and `<id>.key` (member-tls.ts).
 * The sidecars live beside the data dir because etcd warns about foreign files
 * inside it.
 */
export type StartableMember = DesiredMember & { initialCluster: string };

export const etcdBin = () => process.env.ETCD_BIN || "/usr/bin/etcd";

const envNumber = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

export interface MemberFiles {
  dataDir: string;
  identityFile: string;
  logFile: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

export function memberFiles(membersDir: string, id: string): MemberFiles {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(id)) throw new Error(`unsafe member id ${JSON.stringify(id)}`);
  return {
    dataDir: path.join(membersDir, id),
    identityFile: path.join(membersDir, `${id}.json`),
    logFile: path.join(membersDir, `${id}.log`),
    caFile: path.join(membersDir, `${id}.ca.crt`),
    certFile: path.join(membersDir, `${id}.crt`),
    keyFile: path.join(membersDir, `${id}.key`),
  };
}

export type Endpoint = Pick<DesiredMember, "address" | "initialCluster">;
const url = (m: Endpoint, port: number) => memberUrl(m.address, port, isSecure(m));
export const clientUrl = (m: Endpoint & Pick<DesiredMember, "clientPort">) => url(m, m.clientPort);

/**
 * A TLS member admits only callers holding a certificate of its cluster's
 * authority, on both ports: no unauthenticated caller can list its members,
 * peers or metrics (etcd 3.4 answers MemberList and the peer port's /members
 * without any credential otherwise).
 */
const tlsArgs = (files: MemberFiles) => [
  `--cert-file=${files.certFile}`,
  `--key-file=${files.keyFile}`,
  `--trusted-ca-file=${files.caFile}`,
  "--client-cert-auth",
  `--peer-cert-file=${files.certFile}`,
  `--peer-key-file=${files.keyFile}`,
  `--peer-trusted-ca-file=${files.caFile}`,
  "--peer-client-cert-auth",
];

/** The etcd command line for a member. Timing is tuned for a loaded 2-core machine (etcd's 100/1000 ms defaults flap there). */
export function etcdArgs(m: StartableMember, files: MemberFiles): string[] {
  const client = clientUrl(m);
  const peer = url(m, m.peerPort);
  const bcryptCost = process.env.ETCD_BCRYPT_COST;
  return [
    `--name=${m.id}`,
    `--data-dir=${files.dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=${m.initialCluster}`,
    `--initial-cluster-state=${m.initialClusterState ?? "new"}`,
    `--initial-cluster-token=${m.clusterToken}`,
    `--heartbeat-interval=${envNumber("ETCD_HEARTBEAT_MS", 250)}`,
    `--election-timeout=${envNumber("ETCD_ELECTION_MS", 2500)}`,
    // etcd's 2 GiB default is far more than a tenant's share of a shared host.
    `--quota-backend-bytes=${envNumber("ETCD_QUOTA_BACKEND_BYTES", 512 * 1024 * 1024)}`,
    `--snapshot-count=${envNumber("ETCD_SNAPSHOT_COUNT", 10_000)}`,
    "--max-wals=2",
    "--max-snapshots=2",
    "--auto-compaction-mode=periodic",
    "--auto-compaction-retention=1h",
    ...(bcryptCost ? [`--bcrypt-cost=${bcryptCost}`] : []),
    ...(isSecure(m) ? tlsArgs(files) : []),
    "--logger=zap",
    "--log-level=warn",
  ];
}

interface Identity {
  clusterToken: string;
  initialCluster: string;
}

/**
 * Makes the data dir safe to start from: a data dir made for another cluster is
 * wiped. Only the cluster token is compared: etcd ignores --initial-cluster once
 * a data dir exists, and the controller may send a different list later (after
 * a replacement), which must not cost a healthy member its data.
 */
export async function prepareDataDir(m: StartableMember, files: MemberFiles): Promise<{ wiped: boolean }> {
  await mkdir(path.dirname(files.dataDir), { recursive: true, mode: 0o700 });
  const identity = await readFile(files.identityFile, "utf8").then(
    (t) => JSON.parse(t) as Identity,
    () => null,
  );
  let wiped = false;
  if (identity?.clusterToken !== m.clusterToken) {
    wiped = identity !== null || (await exists(files.dataDir));
    await rm(files.dataDir, { recursive: true, force: true });
    const fresh: Identity = { clusterToken: m.clusterToken, initialCluster: m.initialCluster };
    await writeFile(files.identityFile, JSON.stringify(fresh), { mode: 0o600 });
  }
  return { wiped };
}

const exists = (p: string) =>
  readdir(p).then(
    () => true,
    () => false,
  );

/** Removes a member's data dir and sidecars: a removed member's data must never be started again. */
export async function wipeMember(files: MemberFiles): Promise<void> {
  await rm(files.dataDir, { recursive: true, force: true });
  await rm(files.identityFile, { force: true });
  await rm(files.logFile, { force: true });
  for (const file of [files.caFile, files.certFile, files.keyFile]) await rm(file, { force: true });
}

/** Member ids that have files in the members dir (to wipe leftovers nobody wants). */
export async function memberIdsOnDisk(membersDir: string): Promise<string[]> {
  const names = await readdir(membersDir).catch(() => [] as string[]);
  return [...new Set(names.filter((n) => !n.endsWith(".tmp")).map((n) => n.replace(/\.(ca\.crt|crt|key|json|log)$/, "")))];
}

/**
 * etcd reads every ETCD_* variable as a flag and exits when one also comes as
 * a flag (ETCD_BCRYPT_COST is ours): the member gets the environment without them.
 */
function etcdEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith("ETCD_")) delete env[name];
  return env;
}

/** Starts etcd for a member; its stdout and stderr go to the member's log file. */
export function spawnMember(m: StartableMember, files: MemberFiles): ChildProcess {
  const log = openSync(files.logFile, "a", 0o600);
  try {
    return spawn(etcdBin(), etcdArgs(m, files), { stdio: ["ignore", log, log], env: etcdEnv() });
  } finally {
    closeSync(log);
  }
}

/** The last meaningful line of a member's log (why it exited), short enough for a heartbeat. */
export async function lastLogLine(files: MemberFiles): Promise<string | undefined> {
  const text = await readFile(files.logFile, "utf8").catch(() => "");
  const line = text.trimEnd().split("\n").pop();
  if (!line) return undefined;
  try {
    const entry = JSON.parse(line) as { msg?: string; error?: string };
    return [entry.msg, entry.error].filter(Boolean).join(": ").slice(0, 300);
  } catch {
    return line.slice(0, 300);
  }
}

/** Whether a process with this pid exists (one owned by another user counts: signalling it is refused, not missed). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True when `pid` is alive and is etcd running member `id` (not a recycled pid). */
export function pidIsMember(pid: number, id: string): boolean {
  if (!pidAlive(pid)) return false;
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return args.includes(`--name=${id}`);
  } catch {
    // No /proc (not Linux): trust the pid and let the Status check decide.
    return process.platform !== "linux";
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function terminate(pid: number, graceMs = 5000): Promise<void> {
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(pid, s);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (pidAlive(pid)) {
    if (Date.now() >= deadline) {
      signal("SIGKILL");
      // A killed child stays a zombie until reaped: being unable to signal it is enough.
      for (let i = 0; i < 50 && pidAlive(pid) && !isZombie(pid); i++) await sleep(20);
      return;
    }
    if (isZombie(pid)) return;
    await sleep(50);
  }
}

function isZombie(pid: number): boolean {
  try {
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
