import { createServer } from "node:net";

/** Whether nothing listens on host:port now (a bind attempt). */
export function portFree(port: number, host: string): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once("error", () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/**
 * The port a process of `npm start` listens on. Named in the environment
 * (`variable`): that one, or a one-line error when it is taken. Otherwise the
 * default, or, when another program (another copy of the app) holds it, the
 * next free one after it, said in the log.
 */
export async function choosePort(
  what: string,
  variable: string,
  fallback: number,
  host: string,
  taken: Set<number>,
  log: (m: string) => void,
): Promise<number> {
  const named = process.env[variable];
  if (named) {
    const port = Number(named);
    if (!Number.isInteger(port) || port <= 0 || port > 65_535) throw new Error(`${variable}=${named} is not a port number`);
    if (taken.has(port) || !(await portFree(port, host))) throw new Error(`${what}: port ${port} (${variable}) is in use on ${host}`);
    taken.add(port);
    return port;
  }
  for (let port = fallback; port < fallback + 100 && port <= 65_535; port++) {
    if (taken.has(port) || !(await portFree(port, host))) continue;
    if (port !== fallback)
      log(`port ${fallback} is in use (another copy of the app?): ${what} on port ${port} (set ${variable} to choose)`);
    taken.add(port);
    return port;
  }
  throw new Error(`${what}: no free port in ${fallback}-${fallback + 99} on ${host} (set ${variable})`);
}
