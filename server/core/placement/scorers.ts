import type { ServerContext } from "./server-context";

/**
 * Score plugins: each returns 0..100 for a host that passed every filter;
 * the total is the weighted sum. Ties go to the lower host index (id order).
 * Resource scores use the host's load before placement, so within one host
 * class the best host is simply the top of that class's heap.
 */
export interface ScorePlugin {
  name: "least-allocated" | "most-allocated" | "domain-spread";
  weight: number;
  score(c: ServerContext, h: number): number;
}

export const leastAllocated: ScorePlugin = {
  name: "least-allocated",
  weight: 1,
  score: (c, h) => 100 * (1 - c.st.utilisation(h)),
};

export const mostAllocated: ScorePlugin = {
  name: "most-allocated",
  weight: 1,
  score: (c, h) => 100 * c.st.utilisation(h),
};

/** Prefers failure domains holding fewer replicas of this server (weighted above load). */
export const domainSpread: ScorePlugin = {
  name: "domain-spread",
  weight: 2,
  score: (c, h) => 100 * (1 - c.domainCount[c.st.hostDomain[h]!]! / c.st.serverReplicas[c.s]!),
};

export function scorersFor(binpack: boolean): readonly ScorePlugin[] {
  return binpack ? [domainSpread, mostAllocated] : [domainSpread, leastAllocated];
}

export function totalScore(plugins: readonly ScorePlugin[], c: ServerContext, h: number): number {
  let sum = 0;
  for (let i = 0; i < plugins.length; i++) sum += plugins[i]!.weight * plugins[i]!.score(c, h);
  return sum;
}

export interface ScoreBreakdown {
  total: number;
  parts: { name: ScorePlugin["name"]; weight: number; score: number; weighted: number }[];
}

export function scoreBreakdown(plugins: readonly ScorePlugin[], c: ServerContext, h: number): ScoreBreakdown {
  const parts = plugins.map((p) => {
    const score = round(p.score(c, h));
    return { name: p.name, weight: p.weight, score, weighted: round(p.weight * score) };
  });
  return { total: round(totalScore(plugins, c, h)), parts };
}

const round = (x: number) => Math.round(x * 100) / 100;
