import type { PlacementMap } from "@/server/services/placement-map/types";

/** Three hosts in two zones (the third down), two servers, three replicas: the map tests' fleet. */
export function tinyMap(): PlacementMap {
  return {
    version: "1",
    asOf: null,
    generatedAt: "",
    zones: { id: ["z1", "z2"], name: ["a", "b"], purpose: ["workload", "workload"] },
    domains: { zone: [0, 0, 1], name: ["az-1", "az-2", "az-1"] },
    tenants: { id: ["t"], slug: ["t"], name: ["T"] },
    hosts: {
      id: ["h1", "h2", "h3"],
      name: ["h1", "h2", "h3"],
      domain: [0, 1, 2],
      state: [0, 0, 3],
      cpu: [1000, 1000, 1000],
      mem: [1024, 1024, 1024],
      slots: [4, 4, 4],
      env: [-1, -1, -1],
      dedicated: [-1, -1, -1],
      heartbeat: [-1, -1, -1],
    },
    servers: { name: ["s1", "s2"], tenant: [0, -1], stage: [0, 1], replicas: [2, 1], cpu: [100, 100], mem: [100, 100], zone: [0, 1] },
    environments: { name: ["e"], tenant: [0], stage: [0], server: [0] },
    replicas: { serverDelta: [0, 0, 1], ordinal: [0, 1, 0], host: [0, 1, 2], state: [3, 3, 4] },
  };
}
