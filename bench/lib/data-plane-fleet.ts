import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Db } from "../../server/db/client";
import { withEtcd } from "../../server/etcd/client";
import { listMembers } from "../../server/etcd/cluster-admin";
import { clusterRootAccess } from "../../server/services/runtime/cluster-access";

/** Small measuring helpers for the data-plane bench (no product logic here). */
export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};

/** Resident memory of a process, MiB (from /proc). */
export function rssMiB(pid: number): number | null {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
    return Math.round((kb / 1024) * 10) / 10;
  } catch {
    return null;
  }
}

/** Bytes on disk under a directory (what `du -s --apparent-size` would say). */
export function diskBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += diskBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

/** A fresh database on the test Postgres for one bench run. */
export async function benchDatabase(serverUrl: string, name: string) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  return {
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    },
  };
}

/**
 * Sequential put latencies of two targets, interleaved in rounds of 50 (a, b,
 * a, b, ...) so a noisy moment of a shared machine falls on both alike.
 */
export async function interleavedPutLatencies(
  a: (i: number) => Promise<unknown>,
  b: (i: number) => Promise<unknown>,
  n: number,
): Promise<[number[], number[]]> {
  const out: [number[], number[]] = [[], []];
  for (let round = 0; round * 50 < n; round++)
    for (const [k, put] of [a, b].entries())
      for (let i = round * 50; i < Math.min(n, (round + 1) * 50); i++) {
        const t0 = performance.now();
        await put(i);
        out[k]!.push(performance.now() - t0);
      }
  return out;
}

/**
 * The voting members (hex ids) etcd's own member list names, asked of every member at once with the control
 * plane's root credential (the first answer counts: a member still starting must not stall the check);
 * null when none answers.
 */
export async function etcdVoters(db: Db, stateServerId: string): Promise<string[] | null> {
  try {
    const access = await clusterRootAccess(db, stateServerId);
    const members = await Promise.any(access.endpoints.map((e) => withEtcd({ ...access, endpoints: [e] }, listMembers)));
    return members.filter((m) => !m.isLearner).map((m) => m.id);
  } catch {
    return null;
  }
}
