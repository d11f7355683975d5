import { findCycle } from "./hosting-graph";
import type { PlacementHost, PlacementProblem, PlacementResult, PlacementStateServer } from "./types";

export interface Violation {
  code: string;
  message: string;
}

/**
 * An independent checker: re-derives every hard constraint from scratch with
 * plain maps (none of the engine's typed arrays, classes or stamps), so
 * property tests and the bench can trust a result without trusting the engine.
 */
export function verifyPlacement(
  problem: PlacementProblem,
  result: Pick<PlacementResult, "placements" | "unplaced"> & Partial<Pick<PlacementResult, "moved">>,
  options: { requireKept?: boolean } = {},
): Violation[] {
  const out: Violation[] = [];
  const bad = (code: string, message: string) => out.push({ code, message });
  const hosts = new Map(problem.hosts.map((h) => [h.id, h]));
  const servers = new Map(problem.stateServers.map((s) => [s.id, s]));
  const existing = new Map(problem.existing.map((e) => [`${e.stateServer}#${e.ordinal}`, e.host]));

  const seen = new Set<string>();
  for (const r of [...result.placements, ...result.unplaced]) {
    const k = `${r.stateServer}#${r.ordinal}`;
    const s = servers.get(r.stateServer);
    if (!s || r.ordinal < 0 || r.ordinal >= s.replicas) bad("unknown-replica", `${k} is not a replica of the problem`);
    if (seen.has(k)) bad("duplicate-replica", `${k} appears twice`);
    seen.add(k);
  }
  for (const s of problem.stateServers)
    for (let o = 0; o < s.replicas; o++) if (!seen.has(`${s.id}#${o}`)) bad("missing-replica", `${s.id}#${o} neither placed nor unplaced`);
  for (const u of result.unplaced) if (!u.message) bad("no-message", `${u.stateServer}#${u.ordinal} has no message`);

  type Load = { cpu: number; mem: number; n: number; tenants: Set<string>; dedicated: boolean; stages: Set<string> };
  const load = new Map<string, Load>();
  const serverHosts = new Map<string, string[]>();
  const edges: [string, string][] = (problem.hostedBy ?? []).map((e) => [e.environment, e.hostEnvironment]);
  for (const p of result.placements) {
    const h = hosts.get(p.host);
    const s = servers.get(p.stateServer);
    const k = `${p.stateServer}#${p.ordinal}`;
    if (!h || !s) {
      bad("unknown-host", `${k} on unknown host ${p.host}`);
      continue;
    }
    const kept = existing.get(k) === h.id;
    if (h.state !== "ready" && !(h.state === "cordoned" && kept))
      bad("host-state", `${k} on ${h.state} host ${h.id}${kept ? "" : " (new placement)"}`);
    if (!s.zones.includes(h.zone)) bad("zone", `${k} on ${h.id} in zone ${h.zone} not allowed`);
    if (!zoneOpenTo(problem, h.zone, s.tenant)) bad("zone-reserved", `${k} of ${s.tenant} in reserved zone ${h.zone}`);
    if (h.dedicatedTenant !== undefined && h.dedicatedTenant !== s.tenant)
      bad("host-dedicated", `${k} of ${s.tenant} on host dedicated to ${h.dedicatedTenant}`);
    if (h.environment !== undefined) {
      if (s.environments.includes(h.environment)) bad("serves-environment", `${k} runs on a machine of ${h.environment}, which it serves`);
      for (const a of s.environments) edges.push([a, h.environment]);
    }
    const l = load.get(h.id) ?? { cpu: 0, mem: 0, n: 0, tenants: new Set(), dedicated: false, stages: new Set() };
    l.cpu += s.cpuMillis;
    l.mem += s.memoryMiB;
    l.n += 1;
    l.tenants.add(s.tenant);
    l.dedicated ||= s.isolation === "dedicated";
    if (s.stage) l.stages.add(s.stage);
    load.set(h.id, l);
    serverHosts.set(s.id, [...(serverHosts.get(s.id) ?? []), h.id]);
  }

  const stageSeparation = (problem.rules ?? []).some((r) => r.kind === "stageSeparation");
  for (const [id, l] of load) {
    const h = hosts.get(id)!;
    if (l.cpu > h.cpuMillis) bad("cpu", `${id}: ${l.cpu} > ${h.cpuMillis} cpu millis`);
    if (l.mem > h.memoryMiB) bad("memory", `${id}: ${l.mem} > ${h.memoryMiB} MiB`);
    if (h.maxReplicas !== undefined && l.n > h.maxReplicas) bad("slots", `${id}: ${l.n} > ${h.maxReplicas} replicas`);
    if (l.dedicated && l.tenants.size > 1) bad("isolation", `${id}: dedicated server shares with ${[...l.tenants].join(", ")}`);
    for (const rule of problem.rules ?? [])
      if (rule.kind === "neverShare" && l.tenants.has(rule.tenants[0]) && l.tenants.has(rule.tenants[1]))
        bad("never-share", `${id}: ${rule.tenants.join(" and ")} share the host`);
    if (stageSeparation && l.stages.has("production") && l.stages.size > 1)
      bad("stage-separation", `${id}: production shares the host with ${[...l.stages].filter((x) => x !== "production").join(", ")}`);
  }

  for (const [sid, hs] of serverHosts) {
    const s = servers.get(sid)!;
    if (new Set(hs).size !== hs.length) bad("anti-affinity", `${sid}: two replicas on one host`);
    if (s.spread !== "required") continue;
    const cap = spreadCap(problem, s);
    const per = new Map<string, number>();
    for (const h of hs) per.set(hosts.get(h)!.failureDomain, (per.get(hosts.get(h)!.failureDomain) ?? 0) + 1);
    for (const [d, n] of per) if (n > cap) bad("spread", `${sid}: ${n} replicas in ${d}, cap ${cap}`);
  }

  const cycle = findCycle(edges);
  if (cycle) bad("hosting-cycle", `hosting cycle ${cycle.join(" -> ")}`);

  for (const m of result.moved ?? []) {
    const p = result.placements.find((x) => x.stateServer === m.stateServer && x.ordinal === m.ordinal);
    if (!p || p.host !== m.to || m.from === m.to) bad("moved", `bad move record for ${m.stateServer}#${m.ordinal}`);
  }
  if (options.requireKept) {
    const placed = new Map(result.placements.map((p) => [`${p.stateServer}#${p.ordinal}`, p.host]));
    for (const e of problem.existing) {
      const h = hosts.get(e.host);
      const s = servers.get(e.stateServer);
      if (!h || !s || e.ordinal >= s.replicas || (h.state !== "ready" && h.state !== "cordoned")) continue;
      const k = `${e.stateServer}#${e.ordinal}`;
      if (placed.get(k) !== e.host) bad("unstable", `${k} left healthy host ${e.host}`);
    }
  }
  return out;
}

/** ceil(replicas / eligible domains); a domain is eligible when it has a ready host the server may use. */
export function spreadCap(problem: PlacementProblem, s: PlacementStateServer): number {
  const domains = new Set<string>();
  for (const h of problem.hosts) if (hostUsable(problem, s, h)) domains.add(h.failureDomain);
  return domains.size > 0 ? Math.ceil(s.replicas / domains.size) : s.replicas;
}

function hostUsable(problem: PlacementProblem, s: PlacementStateServer, h: PlacementHost): boolean {
  if (h.state !== "ready" || !s.zones.includes(h.zone)) return false;
  if (h.dedicatedTenant !== undefined && h.dedicatedTenant !== s.tenant) return false;
  return zoneOpenTo(problem, h.zone, s.tenant);
}

/** zoneReserved rules for one zone add up: the zone is open to the union of their tenants. */
function zoneOpenTo(problem: PlacementProblem, zone: string, tenant: string): boolean {
  const rules = (problem.rules ?? []).filter((r) => r.kind === "zoneReserved" && r.zone === zone);
  return rules.length === 0 || rules.some((r) => r.kind === "zoneReserved" && r.tenants.includes(tenant));
}
