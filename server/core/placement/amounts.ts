import type { PlacementProblem } from "./types";

/** Per-host and per-server cpu millis and MiB. */
export type Amounts = Int32Array | Float64Array;

/**
 * The array type for a problem's resource amounts (the rule; ClusterState
 * applies it while reading hosts and servers, see narrowAmounts): Int32Array when every
 * amount is a whole number and no host's free amount can leave int32 (all
 * replicas' demand together fits), else Float64Array. Same values either way;
 * Int32Array because code not yet compiled allocates a number for every
 * Float64Array element it reads, which the cold CLI run does ~10^6 times.
 */
export function amountsArrayFor(problem: PlacementProblem): new (length: number) => Amounts {
  // (x | 0) === x: a whole number in int32 range; checked inline, this runs before anything is compiled.
  let cpu = 0;
  let mem = 0;
  const servers = problem.stateServers;
  for (let i = 0; i < servers.length; i++) {
    const s = servers[i]!;
    if ((s.cpuMillis | 0) !== s.cpuMillis || (s.memoryMiB | 0) !== s.memoryMiB || s.cpuMillis < 0 || s.memoryMiB < 0) return Float64Array;
    cpu += s.replicas * s.cpuMillis;
    mem += s.replicas * s.memoryMiB;
  }
  if (cpu > 2 ** 31 - 1 || mem > 2 ** 31 - 1) return Float64Array;
  const hosts = problem.hosts;
  for (let i = 0; i < hosts.length; i++) {
    const h = hosts[i]!;
    if ((h.cpuMillis | 0) !== h.cpuMillis || (h.memoryMiB | 0) !== h.memoryMiB || h.cpuMillis < 0 || h.memoryMiB < 0) return Float64Array;
  }
  return Int32Array;
}

/**
 * Amounts read into a Float64Array, as Int32Array when `int32` (every amount
 * of the problem allows it: amountsArrayFor's rule, checked while reading the
 * hosts and servers instead of in a pass of its own). Same values either way.
 */
export function narrowAmounts(amounts: Float64Array, int32: boolean): Amounts {
  return int32 ? new Int32Array(amounts) : amounts;
}
