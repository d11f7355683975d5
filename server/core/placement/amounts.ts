import type { PlacementProblem } from "./types";

/** Per-host and per-server cpu millis and MiB. */
export type Amounts = Int32Array | Float64Array;

/**
 * The array type for a problem's resource amounts: Int32Array when every
 * amount is a whole number and no host's free amount can leave int32 (all
 * replicas' demand together fits), else Float64Array. Same values either way;
 * Int32Array because code not yet compiled allocates a number for every
 * Float64Array element it reads, which the cold CLI run does ~10^6 times.
 */
export function amountsArrayFor(problem: PlacementProblem): new (length: number) => Amounts {
  const limit = 2 ** 31 - 1;
  const whole = (x: number) => Number.isInteger(x) && x >= 0 && x <= limit;
  let cpu = 0;
  let mem = 0;
  for (const s of problem.stateServers) {
    if (!whole(s.cpuMillis) || !whole(s.memoryMiB)) return Float64Array;
    cpu += s.replicas * s.cpuMillis;
    mem += s.replicas * s.memoryMiB;
  }
  if (cpu > limit || mem > limit) return Float64Array;
  for (const h of problem.hosts) if (!whole(h.cpuMillis) || !whole(h.memoryMiB)) return Float64Array;
  return Int32Array;
}
