import type { PlacementProblem } from "../../server/core/placement";
import { spreadCap } from "../../server/core/placement";

/**
 * The exact optimum of a small binpack instance with HiGHS (MIP, CPLEX LP
 * text): place as many replicas as possible, then use as few hosts as
 * possible, under capacity, zone, dedicated-host, zone-reservation,
 * anti-affinity, required spread, dedicated isolation and never-share.
 * Variables: x_r_h (replica r on host h), y_h (host used), z_t_h (tenant t on
 * host h), u_r (replica r unplaced, penalised above any host count).
 */
export function buildLp(problem: PlacementProblem): string {
  const hosts = problem.hosts.filter((h) => h.state === "ready");
  const rules = problem.rules ?? [];
  const tenants = [...new Set(problem.stateServers.map((s) => s.tenant))];
  const tIdx = new Map(tenants.map((t, i) => [t, i]));
  const penalty = hosts.length + 1;
  const obj: string[] = [];
  const cons: string[] = [];
  const bins: string[] = [];
  hosts.forEach((_, h) => {
    obj.push(`y${h}`);
    bins.push(`y${h}`);
    tenants.forEach((_t, t) => bins.push(`z${t}_${h}`));
  });
  const onHost: string[][][] = hosts.map(() => []); // per host: [cpuTerm, memTerm, x]
  let r = 0;
  for (const s of problem.stateServers) {
    const cap = s.spread === "required" ? spreadCap(problem, s) : Infinity;
    const t = tIdx.get(s.tenant)!;
    const perHost: string[][] = hosts.map(() => []);
    const perDomain = new Map<string, string[]>();
    for (let o = 0; o < s.replicas; o++, r++) {
      const row: string[] = [`u${r}`];
      obj.push(`${penalty} u${r}`);
      bins.push(`u${r}`);
      hosts.forEach((h, hi) => {
        if (!s.zones.includes(h.zone)) return;
        if (h.dedicatedTenant !== undefined && h.dedicatedTenant !== s.tenant) return;
        const reserved = rules.filter((x) => x.kind === "zoneReserved" && x.zone === h.zone);
        if (reserved.length && !reserved.some((x) => x.kind === "zoneReserved" && x.tenants.includes(s.tenant))) return;
        const x = `x${r}_${hi}`;
        bins.push(x);
        row.push(x);
        onHost[hi]!.push([`${s.cpuMillis} ${x}`, `${s.memoryMiB} ${x}`, x]);
        perHost[hi]!.push(x);
        perDomain.set(h.failureDomain, [...(perDomain.get(h.failureDomain) ?? []), x]);
        cons.push(`${x} - z${t}_${hi} <= 0`);
        if (s.isolation === "dedicated") tenants.forEach((_u, u) => u !== t && cons.push(`${x} + z${u}_${hi} <= 1`));
      });
      cons.push(`${row.join(" + ")} = 1`);
    }
    perHost.forEach((xs) => xs.length > 1 && cons.push(`${xs.join(" + ")} <= 1`));
    if (cap !== Infinity) for (const xs of perDomain.values()) if (xs.length > cap) cons.push(`${xs.join(" + ")} <= ${cap}`);
  }
  hosts.forEach((h, hi) => {
    const terms = onHost[hi]!;
    if (!terms.length) return;
    cons.push(`${terms.map((x) => x[0]).join(" + ")} - ${h.cpuMillis} y${hi} <= 0`);
    cons.push(`${terms.map((x) => x[1]).join(" + ")} - ${h.memoryMiB} y${hi} <= 0`);
    const slots = Math.min(h.maxReplicas ?? terms.length, terms.length);
    cons.push(`${terms.map((x) => x[2]).join(" + ")} - ${slots} y${hi} <= 0`);
    for (const rule of rules)
      if (rule.kind === "neverShare" && tIdx.has(rule.tenants[0]) && tIdx.has(rule.tenants[1]))
        cons.push(`z${tIdx.get(rule.tenants[0])}_${hi} + z${tIdx.get(rule.tenants[1])}_${hi} <= 1`);
  });
  return [
    "Minimize",
    ` obj: ${obj.join(" + ")}`,
    "Subject To",
    ...cons.map((c, i) => ` c${i}: ${c}`),
    "Binary",
    ` ${bins.join(" ")}`,
    "End",
  ].join("\n");
}

export interface MipOptimum {
  status: string;
  hosts: number;
  unplaced: number;
}

export async function solveOptimum(problem: PlacementProblem): Promise<MipOptimum> {
  const highs = await (await import("highs")).default();
  const sol = highs.solve(buildLp(problem), { time_limit: 60 });
  let hosts = 0;
  let unplaced = 0;
  for (const [name, col] of Object.entries(sol.Columns)) {
    const v = Math.round((col as { Primal: number }).Primal);
    if (name.startsWith("y")) hosts += v;
    if (name.startsWith("u")) unplaced += v;
  }
  return { status: sol.Status, hosts, unplaced };
}
