import http from "node:http";

export interface NativeLoadResult {
  latency: { p50: number; p99: number };
  requests: { total: number };
  duration: number;
  errors: number;
  timeouts: number;
}

/**
 * A closed-loop load like autocannon's (`connections` keep-alive connections,
 * each sending its next request when the previous answer is complete), for
 * big bodies: Node's native HTTP parser, the body counted and dropped.
 * autocannon parses with http-parser-js and appends every body to a string,
 * which for a ~200 KiB body costs the client more than the server spends.
 * Same answer shape as autocannon's for the figures the bench reads.
 */
export async function nativeLoad(opts: {
  url: string;
  path: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  onResponse: (status: number, headers: http.IncomingHttpHeaders, bodyBytes: number) => void;
}): Promise<NativeLoadResult> {
  const target = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const latencies: number[] = [];
  let errors = 0;
  let timeouts = 0;
  const started = performance.now();
  const end = started + opts.seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.get({ host: target.hostname, port: target.port, path: opts.path, headers: opts.headers, agent }, (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => (bytes += chunk.length));
        res.on("end", () => {
          latencies.push(performance.now() - t0);
          opts.onResponse(res.statusCode ?? 0, res.headers, bytes);
          resolve();
        });
        res.on("error", () => {
          errors++;
          resolve();
        });
      });
      req.setTimeout(30_000, () => {
        timeouts++;
        req.destroy();
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
    });
  const loop = async () => {
    while (performance.now() < end) await one();
  };
  await Promise.all(Array.from({ length: opts.connections }, loop));
  const duration = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    latency: { p50: at(0.5), p99: at(0.99) },
    requests: { total: latencies.length + errors },
    duration,
    errors: errors - timeouts,
    timeouts,
  };
}
