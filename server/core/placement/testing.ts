/** Builders for tests and examples: terse hosts, servers and problems with sane defaults. */
import type { PlacementHost, PlacementProblem, PlacementStateServer } from "./types";

export function host(id: string, over: Partial<PlacementHost> = {}): PlacementHost {
  return { id, zone: "z1", failureDomain: "fd-a", cpuMillis: 4000, memoryMiB: 8192, maxReplicas: 10, state: "ready", ...over };
}

export function server(id: string, over: Partial<PlacementStateServer> = {}): PlacementStateServer {
  return {
    id,
    tenant: "t1",
    replicas: 1,
    cpuMillis: 500,
    memoryMiB: 1024,
    zones: ["z1"],
    isolation: "shared",
    spread: "preferred",
    environments: [`env-${id}`],
    ...over,
  };
}

export function problem(over: Partial<PlacementProblem> = {}): PlacementProblem {
  return { strategy: "spread", hosts: [], stateServers: [], existing: [], ...over };
}

/** Three hosts, one per failure domain, in zone z1. */
export function threeDomains(over: Partial<PlacementHost> = {}): PlacementHost[] {
  return ["a", "b", "c"].map((d) => host(`h-${d}`, { failureDomain: `fd-${d}`, ...over }));
}
