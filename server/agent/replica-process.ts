import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

export const PROJECT_DIR = path.resolve(import.meta.dirname, "../..");
const STATESERVER_MAIN = path.join(PROJECT_DIR, "server/stateserver/main.ts");

export interface ReplicaSpec {
  id: string;
  stateServerId: string;
  ordinal: number;
}

/** True when something can bind 127.0.0.1:port right now. */
export function portFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/** A free port in [from, to], scanning from a rotating start so agents on one machine rarely collide. */
export async function freePort(from: number, to: number, taken: Set<number>, seed: number): Promise<number> {
  const span = to - from + 1;
  for (let i = 0; i < span; i++) {
    const port = from + ((seed + i) % span);
    if (!taken.has(port) && (await portFree(port))) return port;
  }
  throw new Error(`no free port in ${from}-${to}`);
}

/** Starts one state-server replica as a child process; `onListening` fires when it serves. */
export function spawnReplica(spec: ReplicaSpec, port: number, env: NodeJS.ProcessEnv, onListening: () => void): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      STATESERVER_MAIN,
      "--replica",
      spec.id,
      "--state-server",
      spec.stateServerId,
      "--ordinal",
      String(spec.ordinal),
      "--port",
      String(port),
    ],
    { cwd: PROJECT_DIR, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let buffer = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    if (buffer.includes('"event":"listening"')) {
      onListening();
      buffer = "";
      child.stdout!.removeAllListeners("data");
      child.stdout!.resume();
    }
  });
  child.stderr!.resume();
  return child;
}

/** Health of a replica this agent did not start (adopted after an agent restart). */
export async function replicaAnswers(port: number, replicaId: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return false;
    return ((await res.json()) as { replicaId?: string }).replicaId === replicaId;
  } catch {
    return false;
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
