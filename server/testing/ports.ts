import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import { pidAlive } from "../agent/member-process";

/**
 * Ports for tests, benchmarks and e2e on a machine where other copies of the
 * app run: never a fixed number. Where the server can bind port 0 itself, do
 * that (`listenOnFreePort`); where a number must be known before the bind (a
 * child process, a URL handed out first), take one the kernel just gave out
 * (`freePort`) and retry with another when the bind lost a race to someone
 * else (`onFreePort`).
 */

/** A port nobody listens on right now (the kernel's pick for port 0 on 127.0.0.1). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => probe.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** `freePort` for synchronous callers (a Playwright config): asks a short-lived node process. */
export function freePortSync(): number {
  const script = `const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})`;
  return Number(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }));
}

/** Binds `server` to a port the kernel picks on 127.0.0.1 (no race possible); resolves with the port. */
export async function listenOnFreePort(server: Pick<Server, "listen" | "once" | "address">): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return (server.address() as { port: number }).port;
}

/** Whether an error is a bind that found its port taken. */
export const lostBindRace = (err: unknown): boolean =>
  (err as NodeJS.ErrnoException | undefined)?.code === "EADDRINUSE" || /EADDRINUSE/.test(String((err as Error | undefined)?.message));

/**
 * Starts something on a free port, again on another one while the bind fails
 * with EADDRINUSE (another process took the port between the pick and the bind).
 */
export async function onFreePort<T>(start: (port: number) => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    const port = await freePort();
    try {
      return await start(port);
    } catch (err) {
      if (i >= attempts || !lostBindRace(err)) throw err;
    }
  }
}

const BLOCK = 100;
const LOWEST = 10_000;

/** The first port the kernel hands out for outgoing connections (ports from there up are never reserved here). */
function ephemeralStart(): number {
  try {
    return Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]) || 32_768;
  } catch {
    return 32_768;
  }
}

/** Takes the lock file of one block for this process; false when a live process holds it. */
function lockBlock(dir: string, block: number): boolean {
  const file = path.join(dir, String(block));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      return true;
    } catch {
      const owner = Number(readFileSync(file, "utf8"));
      if (owner && pidAlive(owner)) return false;
      rmSync(file, { force: true }); // left by a process that is gone
    }
  }
  return false;
}

/**
 * `size` consecutive ports for processes that bind fixed ports for their whole
 * life (agents' etcd members restart on the same ports): below the kernel's
 * ephemeral range, so no outgoing connection's local port can hold one when a
 * member restarts, and held by a lock file per block of 100 under the temp
 * directory, so test files, benchmarks and other copies of the app running at
 * once never share one. A block whose holder died is taken over.
 */
export function reservePortRange(size: number): number {
  const blocks = Math.ceil(size / BLOCK);
  const count = Math.floor((ephemeralStart() - LOWEST) / BLOCK);
  const dir = path.join(os.tmpdir(), "statehouse-port-blocks");
  mkdirSync(dir, { recursive: true });
  const first = (process.pid * 7919) % count;
  for (let k = 0; k < count; k++) {
    const start = (first + k) % count;
    if (start + blocks > count) continue;
    const taken: number[] = [];
    for (let b = start; b < start + blocks && lockBlock(dir, b); b++) taken.push(b);
    if (taken.length === blocks) return LOWEST + start * BLOCK;
    for (const b of taken) rmSync(path.join(dir, String(b)), { force: true });
  }
  throw new Error(`no free block of ${size} ports between ${LOWEST} and ${ephemeralStart()}`);
}
