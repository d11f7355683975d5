import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:net";

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
