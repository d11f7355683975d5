/** Per-host and per-server cpu millis and MiB. */
export type Amounts = Int32Array | Float64Array;

/**
 * Amounts read into a Float64Array, as Int32Array when `int32`: every amount
 * of the problem is a whole number, not negative, in int32 range, and all
 * replicas' demand together fits (so no host's free amount can leave int32).
 * compileHosts and compileServers check their halves while reading. Same
 * values either way; Int32Array because code not yet compiled allocates a
 * number for every Float64Array element it reads, which the cold CLI run does
 * ~10^6 times.
 */
export function narrowAmounts(amounts: Float64Array, int32: boolean): Amounts {
  return int32 ? new Int32Array(amounts) : amounts;
}
