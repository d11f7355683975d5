import type { PlacementProblem } from "../../server/core/placement";
import { spreadCap } from "../../server/core/placement";

export interface LowerBound {
  hosts: number;
  components: number;
  how: string;
}

/**
 * A lower bound on the number of hosts any valid placement uses.
 * Servers and hosts split into independent components (union-find over
 * "server may use a host of this (zone, dedicated tenant) group"); no host
 * serves two components. Per component, with C = the largest host capacity
 * in it, the bound is the max of:
 *   ceil(sum cpu / C.cpu), ceil(sum memory / C.memory), ceil(replicas / C.slots),
 *   the largest replica count (anti-affinity: one replica per host), and
 *   sum over failure domains d of ceil(min demand forced into d / C) for each
 *   resource, where a required-spread server with r replicas over D eligible
 *   domains puts at least r - (D - 1) * ceil(r / D) replicas in every domain.
 * The component bounds add up.
 */
export function hostsLowerBound(problem: PlacementProblem): LowerBound {
  const groupKey = (zone: string, ded?: string) => `${zone}|${ded ?? ""}`;
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const union = (a: string, b: string) => parent.set(find(a), find(b));
  const ready = problem.hosts.filter((h) => h.state === "ready");
  for (const h of ready) parent.set(`g:${groupKey(h.zone, h.dedicatedTenant)}`, `g:${groupKey(h.zone, h.dedicatedTenant)}`);
  const groups = [...new Set(ready.map((h) => groupKey(h.zone, h.dedicatedTenant)))];
  for (const s of problem.stateServers) {
    parent.set(`s:${s.id}`, `s:${s.id}`);
    for (const g of groups) {
      const [zone, ded] = g.split("|") as [string, string];
      if (s.zones.includes(zone) && (ded === "" || ded === s.tenant)) union(`s:${s.id}`, `g:${g}`);
    }
  }
  type Acc = { cpu: number; mem: number; n: number; maxR: number; dom: Map<string, { cpu: number; mem: number; n: number }> };
  const acc = new Map<string, Acc>();
  const get = (root: string) => {
    let a = acc.get(root);
    if (!a) acc.set(root, (a = { cpu: 0, mem: 0, n: 0, maxR: 0, dom: new Map() }));
    return a;
  };
  const domainsOf = new Map<string, Set<string>>();
  for (const h of ready) {
    const root = find(`g:${groupKey(h.zone, h.dedicatedTenant)}`);
    if (!domainsOf.has(root)) domainsOf.set(root, new Set());
    domainsOf.get(root)!.add(h.failureDomain);
  }
  for (const s of problem.stateServers) {
    const root = find(`s:${s.id}`);
    if (!domainsOf.has(root)) continue; // unplaceable: uses no host
    const a = get(root);
    a.cpu += s.cpuMillis * s.replicas;
    a.mem += s.memoryMiB * s.replicas;
    a.n += s.replicas;
    a.maxR = Math.max(a.maxR, s.replicas);
    if (s.spread === "required") {
      const cap = spreadCap(problem, s);
      const doms = [...domainsOf.get(root)!];
      const forced = Math.max(0, s.replicas - (doms.length - 1) * cap);
      for (const d of doms) {
        const x = a.dom.get(d) ?? { cpu: 0, mem: 0, n: 0 };
        x.cpu += forced * s.cpuMillis;
        x.mem += forced * s.memoryMiB;
        x.n += forced;
        a.dom.set(d, x);
      }
    }
  }
  let total = 0;
  for (const [root, a] of acc) {
    const hs = ready.filter((h) => find(`g:${groupKey(h.zone, h.dedicatedTenant)}`) === root);
    const cpu = Math.max(...hs.map((h) => h.cpuMillis));
    const mem = Math.max(...hs.map((h) => h.memoryMiB));
    const slots = Math.max(...hs.map((h) => h.maxReplicas ?? Infinity));
    const ceil = (x: number, c: number) => (x <= 0 ? 0 : c === Infinity ? 1 : Math.ceil(x / c));
    let perDomain = 0;
    for (const x of a.dom.values()) perDomain += Math.max(ceil(x.cpu, cpu), ceil(x.mem, mem), ceil(x.n, slots));
    total += Math.max(ceil(a.cpu, cpu), ceil(a.mem, mem), ceil(a.n, slots), a.maxR, perDomain);
  }
  return {
    hosts: total,
    components: acc.size,
    how: "per independent component: max(ceil(demand / host capacity) per resource, largest replica count, sum over failure domains of the demand required spread forces into each domain / capacity); components summed",
  };
}
