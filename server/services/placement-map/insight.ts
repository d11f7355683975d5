import type { UserCaller } from "../../auth/caller";
import {
  assessQuorumRisk,
  explainPlacement,
  REASON_CODES,
  REASON_LABELS,
  whatIf,
  type HostScore,
  type ReasonCounts,
  type WhatIfScenario,
} from "../../core/placement";
import type { Db } from "../../db/client";
import { notFound } from "../../errors";
import { requireFleetReader } from "../../auth/caller";
import { placementVersion } from "./map";
import { type LoadedProblem, loadProblemCached } from "./problem";

async function loaded(db: Db, caller: UserCaller): Promise<LoadedProblem> {
  requireFleetReader(caller);
  return loadProblemCached(db, await placementVersion(db, caller));
}

function reasonRows(l: LoadedProblem, reasons: ReasonCounts) {
  return REASON_CODES.filter((c) => (reasons[c] ?? 0) > 0)
    .map((code) => ({ code, label: REASON_LABELS[code], hosts: reasons[code]!, rules: l.ruleNames.get(code) ?? [] }))
    .sort((a, b) => b.hosts - a.hosts);
}

/** Engine messages name hosts by id; the UI names them by host name. */
function renameHosts(l: LoadedProblem, text: string, ids: readonly (string | null | undefined)[]) {
  let out = text;
  for (const id of ids) if (id) out = out.split(id).join(l.hostName.get(id) ?? id);
  return out;
}

const named = (l: LoadedProblem, s: HostScore | null) => (s ? { ...s, hostName: l.hostName.get(s.host) ?? s.host } : null);

/**
 * "Why here?" for a placed replica (score breakdown of its host vs the runner-up),
 * or "why pending?" for one without a host (hosts counted by the first filter
 * they fail, with the policy rules behind those filters).
 */
export async function explainReplica(db: Db, caller: UserCaller, input: { server: string; ordinal: number }) {
  const l = await loaded(db, caller);
  const id = l.serverByName.get(input.server);
  const server = id ? l.problem.stateServers.find((s) => s.id === id) : undefined;
  if (!id || !server || input.ordinal >= server.replicas) throw notFound("Replica");
  const e = explainPlacement(l.problem, l.placements, { stateServer: id, ordinal: input.ordinal });
  const hostName = (h: string | null) => (h ? (l.hostName.get(h) ?? h) : null);
  return {
    server: input.server,
    ordinal: input.ordinal,
    host: hostName(e.host),
    placed: e.host !== null,
    chosen: named(l, e.chosen),
    runnerUp: named(l, e.runnerUp),
    feasibleHosts: e.feasibleHosts,
    totalHosts: e.totalHosts,
    reasons: reasonRows(l, e.reasons),
    message: renameHosts(l, e.message, [e.chosen?.host, e.runnerUp?.host]),
  };
}

/** State servers that lose quorum if one host or one failure domain goes. */
export async function quorumRisks(db: Db, caller: UserCaller) {
  const l = await loaded(db, caller);
  const risks = assessQuorumRisk(l.problem, l.placements);
  return {
    total: risks.length,
    items: risks.slice(0, 500).map((r) => ({
      server: l.serverName.get(r.stateServer) ?? r.stateServer,
      replicas: r.replicas,
      majority: r.majority,
      alive: r.alive,
      belowQuorum: r.belowQuorum,
      hosts: r.hosts.map((h) => l.hostName.get(h) ?? h),
      failureDomains: r.failureDomains,
      reason: renameHosts(l, r.reason, r.hosts),
    })),
  };
}

export type WhatIfInput = { kind: "host"; host: string } | { kind: "failureDomain"; failureDomain: string };

/** Before anything happens: which replicas would move where, and which could not be placed. */
export async function whatIfLoss(db: Db, caller: UserCaller, input: WhatIfInput) {
  const l = await loaded(db, caller);
  let scenario: WhatIfScenario;
  if (input.kind === "host") {
    const host = [...l.hostName].find(([, name]) => name === input.host)?.[0];
    if (!host) throw notFound("Host");
    scenario = { kind: "loseHost", host };
  } else {
    if (![...l.hostDomain.values()].includes(input.failureDomain)) throw notFound("Failure domain");
    scenario = { kind: "loseFailureDomain", failureDomain: input.failureDomain };
  }
  const r = whatIf(l.problem, scenario);
  const host = (id: string) => l.hostName.get(id) ?? id;
  const server = (id: string) => l.serverName.get(id) ?? id;
  return {
    scenario: input,
    moved: r.moved.map((m) => ({ server: server(m.stateServer), ordinal: m.ordinal, from: host(m.from), to: host(m.to) })),
    failures: r.failures.map((u) => ({ server: server(u.stateServer), ordinal: u.ordinal, reasons: reasonRows(l, u.reasons) })),
    quorum: {
      before: r.quorumRisk.before,
      after: r.quorumRisk.after,
      newlyAtRisk: r.quorumRisk.newlyAtRisk.map((q) => ({
        server: server(q.stateServer),
        belowQuorum: q.belowQuorum,
        alive: q.alive,
        replicas: q.replicas,
      })),
    },
  };
}
