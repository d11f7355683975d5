import type { Interner } from "./interner";
import type { PlacementHost } from "./types";

export const HS_READY = 0;
export const HS_CORDONED = 1;
export const HS_DRAINING = 2;
export const HS_DOWN = 3;
export const HOST_STATE_CODE = { ready: HS_READY, cordoned: HS_CORDONED, draining: HS_DRAINING, down: HS_DOWN } as const;

/** The hosts as flat arrays indexed by host (ClusterState's host fields), in the order given. */
export interface HostTable {
  ids: string[];
  index: Map<string, number>;
  state: Uint8Array;
  zone: Int32Array;
  domain: Int32Array;
  /** Tenant the host is dedicated to, or -1. */
  dedicated: Int32Array;
  /** Environment whose machine the host is, or -1. */
  env: Int32Array;
  /** Capacities as given (amounts narrowed to int32 by the caller when every amount of the problem allows). */
  cpu: Float64Array;
  mem: Float64Array;
  slots: Float64Array;
  anyHosted: boolean;
  /** Every cpu and memory capacity is a whole number in int32 range, not negative (narrowAmounts' rule, host half). */
  wholeAmounts: boolean;
}

/**
 * One plain pass over the hosts (arrays in locals, no per-host closures): it
 * runs before anything is compiled, where every property read is a lookup.
 * Zones, domains, dedicated tenants and environments are interned in
 * first-seen order.
 */
export function compileHosts(
  hosts: readonly PlacementHost[],
  zones: Interner,
  domains: Interner,
  tenants: Interner,
  envs: Interner,
): HostTable {
  const n = hosts.length;
  const ids = new Array<string>(n);
  const index = new Map<string, number>();
  const state = new Uint8Array(n);
  const zone = new Int32Array(n);
  const domain = new Int32Array(n);
  const dedicated = new Int32Array(n);
  const env = new Int32Array(n);
  const cpu = new Float64Array(n);
  const mem = new Float64Array(n);
  const slots = new Float64Array(n);
  let anyHosted = false;
  let wholeAmounts = true;
  for (let i = 0; i < n; i++) {
    const h = hosts[i]!;
    const id = h.id;
    ids[i] = id;
    index.set(id, i);
    state[i] = HOST_STATE_CODE[h.state];
    zone[i] = zones.get(h.zone);
    domain[i] = domains.get(h.failureDomain);
    dedicated[i] = h.dedicatedTenant === undefined ? -1 : tenants.get(h.dedicatedTenant);
    if (h.environment === undefined) env[i] = -1;
    else {
      env[i] = envs.get(h.environment);
      anyHosted = true;
    }
    const c = h.cpuMillis;
    const m = h.memoryMiB;
    cpu[i] = c;
    mem[i] = m;
    if ((c | 0) !== c || (m | 0) !== m || c < 0 || m < 0) wholeAmounts = false;
    slots[i] = h.maxReplicas ?? Infinity;
  }
  return { ids, index, state, zone, domain, dedicated, env, cpu, mem, slots, anyHosted, wholeAmounts };
}
