import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readlinkSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { PROJECT_DIR } from "../../server/testing/postgres";

const NEXT = path.join(PROJECT_DIR, "node_modules", ".bin", "next");

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** next-server processes started from this project (they serve .next, which a rebuild would pull from under them). */
function projectServers(): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith("next-server")) continue;
      if (readlinkSync(`/proc/${pid}/cwd`) === PROJECT_DIR) pids.push(Number(pid));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

/**
 * Builds the app (into .next, or STATEHOUSE_NEXT_DIST_DIR) when it is missing or older than the sources (as
 * `npm start` does), unless a server of this project is running on that build
 * or `anyBuild` says an older one will do: then the existing build is measured
 * and the caller is told so.
 */
export function ensureBuild(log: (m: string) => void, anyBuild = false): { built: boolean; stale: boolean; distDir: string } {
  // next.config.mjs may take the build directory from STATEHOUSE_NEXT_DIST_DIR (a copy of its own for a benchmark).
  const distDir = process.env.STATEHOUSE_NEXT_DIST_DIR || ".next";
  const buildId = path.join(PROJECT_DIR, distDir, "BUILD_ID");
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const newest = Math.max(...["app", "components", "server", "prisma"].map((d) => newestMtime(path.join(PROJECT_DIR, d))));
  if (builtAt > newest) return { built: false, stale: false, distDir };
  // What is measured does not go through Next.js (the web server's own routes): any build will do.
  if (builtAt && anyBuild) return { built: false, stale: true, distDir };
  const running = projectServers();
  if (builtAt && running.length) {
    log(`${distDir} is older than the sources but next-server ${running.join(", ")} serves it: measuring the existing build`);
    return { built: false, stale: true, distDir };
  }
  log("building the app (next build)…");
  const result = spawnSync(NEXT, ["build"], { cwd: PROJECT_DIR, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (result.status !== 0) throw new Error("next build failed");
  return { built: true, stale: false, distDir };
}

export type AppServer = "web" | "next-start";

/**
 * The app on 127.0.0.1:port against `databaseUrl`, as `npm start` runs it (`web`:
 * server/web/main.ts, WEB_WORKERS workers, default one per core) or plain
 * `next start` (`next-start`: one Next.js process, for comparison); resolves
 * once /api/health answers.
 */
export async function startApp(
  port: number,
  databaseUrl: string,
  server: AppServer = "web",
  workers?: number,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const base = `http://127.0.0.1:${port}`;
  if (
    await fetch(`${base}/api/health`).then(
      () => true,
      () => false,
    )
  )
    throw new Error(`port ${port} is already in use`);
  const [command, args] =
    server === "web"
      ? [process.execPath, ["--import", "tsx", path.join(PROJECT_DIR, "server", "web", "main.ts")]]
      : [NEXT, ["start", "-p", String(port), "-H", "127.0.0.1"]];
  const app = spawn(command, args, {
    cwd: PROJECT_DIR,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NEXTAUTH_URL: base,
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      HOST: "127.0.0.1",
      PORT: String(port),
      ...(workers ? { WEB_WORKERS: String(workers) } : {}),
      ...env,
    },
  });
  for (let i = 0; i < 120; i++) {
    if (
      await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return app;
    await new Promise((r) => setTimeout(r, 500));
  }
  app.kill("SIGTERM");
  throw new Error("the app did not start");
}

/** CPU time (user + system, ms) a process, its threads and its descendants (cluster workers) have used so far. */
export function cpuMs(pid: number): number {
  const children = new Map<number, number[]>();
  const own = new Map<number, number>();
  for (const p of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ");
      const ppid = Number(fields[1]);
      own.set(Number(p), ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(p)]);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    total += own.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

/** Busy and total jiffies of the whole machine (all cores), for a busy share over an interval. */
export function machineJiffies(): { busy: number; total: number } {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = cpu[3]! + (cpu[4] ?? 0);
  return { busy: total - idle, total };
}

/** Other benchmarks running on this machine now (their load would skew ours): their command lines. */
export function otherBenchmarks(pattern = /fleet\.bench|bench:fleet|environments\.bench|map\.bench|placement\.bench/): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      if (pattern.test(cmd) && !/eslint|tsc|git /.test(cmd)) found.push(`${pid} ${cmd.slice(0, 120)}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
