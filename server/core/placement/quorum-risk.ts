import { majorityOf } from "../model";
import type { Placement, PlacementProblem } from "./types";

export interface QuorumRisk {
  stateServer: string;
  replicas: number;
  majority: number;
  /** Replicas placed on hosts that are not down. */
  alive: number;
  belowQuorum: boolean;
  /** Losing any one of these hosts leaves the server below a majority. */
  hosts: string[];
  /** Losing any one of these failure domains leaves the server below a majority. */
  failureDomains: string[];
  reason: string;
}

/**
 * For every state server: would losing any single host, or any single failure
 * domain, leave it below a majority of its configured replicas? Returns only
 * the servers at risk, worst first (already below quorum, then host, then domain risk).
 */
export function assessQuorumRisk(problem: PlacementProblem, placements: readonly Placement[]): QuorumRisk[] {
  const hosts = new Map(problem.hosts.map((h) => [h.id, h]));
  const byServer = new Map<string, string[]>();
  for (const p of placements) {
    const h = hosts.get(p.host);
    if (!h || h.state === "down") continue;
    byServer.set(p.stateServer, [...(byServer.get(p.stateServer) ?? []), h.id]);
  }
  const risks: QuorumRisk[] = [];
  for (const s of problem.stateServers) {
    const on = byServer.get(s.id) ?? [];
    const majority = majorityOf(s.replicas);
    const alive = on.length;
    const perHost = new Map<string, number>();
    const perDomain = new Map<string, number>();
    for (const id of on) {
      perHost.set(id, (perHost.get(id) ?? 0) + 1);
      const d = hosts.get(id)!.failureDomain;
      perDomain.set(d, (perDomain.get(d) ?? 0) + 1);
    }
    const riskyHosts = [...perHost]
      .filter(([, n]) => alive - n < majority)
      .map(([h]) => h)
      .sort();
    const riskyDomains = [...perDomain]
      .filter(([, n]) => alive - n < majority)
      .map(([d]) => d)
      .sort();
    const belowQuorum = alive < majority;
    if (!belowQuorum && riskyHosts.length === 0 && riskyDomains.length === 0) continue;
    let reason: string;
    if (belowQuorum) reason = `only ${alive} of ${s.replicas} replicas alive; a majority needs ${majority}`;
    else if (riskyHosts.length)
      reason =
        s.replicas === 1
          ? `single replica: losing host ${riskyHosts[0]} stops it`
          : `${alive} alive of ${s.replicas}: losing host ${riskyHosts.join(" or ")} leaves fewer than ${majority}`;
    else
      reason = `${perDomain.get(riskyDomains[0]!)} replicas share failure domain ${riskyDomains.join(" or ")}: losing it leaves fewer than ${majority}`;
    risks.push({
      stateServer: s.id,
      replicas: s.replicas,
      majority,
      alive,
      belowQuorum,
      hosts: riskyHosts,
      failureDomains: riskyDomains,
      reason,
    });
  }
  const rank = (r: QuorumRisk) => (r.belowQuorum ? 0 : r.hosts.length ? 1 : 2);
  return risks.sort((a, b) => rank(a) - rank(b) || (a.stateServer < b.stateServer ? -1 : 1));
}
