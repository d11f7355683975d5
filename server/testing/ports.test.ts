import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, freePortSync, listenOnFreePort, onFreePort } from "./ports";

const open: Server[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function listen(port: number): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      open.push(server);
      resolve(server);
    });
  });
}

describe("ports for tests", () => {
  it("hands out ports nobody listens on", async () => {
    const port = await freePort();
    await expect(listen(port)).resolves.toBeDefined();
    expect(freePortSync()).toBeGreaterThan(0);
    const server = createServer();
    open.push(server);
    expect(await listenOnFreePort(server)).toBe((server.address() as { port: number }).port);
  });

  it("binds again on another port when the first bind lost its race", async () => {
    const taken = (await listen(0)).address() as { port: number };
    const tried: number[] = [];
    // The first attempt finds its port taken (as if another process bound it after the pick).
    const server = await onFreePort((port) => listen(tried.push(port) === 1 ? taken.port : port));
    expect(tried).toHaveLength(2);
    expect((server.address() as { port: number }).port).toBe(tried[1]);
  });

  it("does not retry other failures", async () => {
    let calls = 0;
    await expect(onFreePort(() => Promise.reject(new Error(`boom ${++calls}`)))).rejects.toThrow("boom 1");
  });
});

describe("reserved port ranges", () => {
  it("are below the ephemeral range, never shared by live processes, and taken over from dead ones", async () => {
    const { readFileSync, writeFileSync } = await import("node:fs");
    const { spawnSync } = await import("node:child_process");
    const os = await import("node:os");
    const path = await import("node:path");
    const { reservePortRange } = await import("./ports");
    const ephemeral = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").split(/\s+/)[0]);
    const a = reservePortRange(250);
    const b = reservePortRange(100);
    expect(a % 100).toBe(0);
    expect(a + 250).toBeLessThanOrEqual(ephemeral);
    expect(b >= a + 300 || b + 100 <= a).toBe(true);
    // A block whose lock names a process that has exited is free again.
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
    const dir = path.join(os.tmpdir(), "statehouse-port-blocks");
    writeFileSync(path.join(dir, String((b - 10_000) / 100)), String(dead));
    // The same scan as b's, which passes a's blocks (held by this live process) first.
    expect(reservePortRange(100)).toBe(b);
  });
});
