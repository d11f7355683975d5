import { placeReplicas } from "../../server/core/placement";
import { generateSmall } from "./generate";
import { solveOptimum } from "./mip";
import { naivePlace } from "./naive";
import { hostsUsed, mustVerify, now, round, sum, timeIt } from "./placement-check";

export interface SmallInstance {
  seed: number;
  engine: number;
  optimum: number;
  naive: number;
  engineUnplaced: number;
  optimumUnplaced: number;
  status: string;
}

/**
 * Small binpack instances against the MIP optimum (HiGHS): the figure, and
 * a failure line for every instance where HiGHS did not prove optimality or
 * the engine differs from the optimum.
 */
export async function compareWithOptimum(instances: number, failures: string[]) {
  const small: SmallInstance[] = [];
  let mipMs = 0;
  let smallEngineMs = 0;
  for (let seed = 1; seed <= instances; seed++) {
    const p = generateSmall(seed);
    const t = timeIt(() => placeReplicas(p));
    smallEngineMs += t.ms;
    mustVerify(`small ${seed}`, p, t.value);
    const t0 = now();
    const opt = await solveOptimum(p);
    mipMs += now() - t0;
    const n = naivePlace(p);
    small.push({
      seed,
      engine: hostsUsed(t.value),
      optimum: opt.hosts,
      naive: hostsUsed(n),
      engineUnplaced: t.value.unplaced.length,
      optimumUnplaced: opt.unplaced,
      status: opt.status,
    });
  }
  const equal = small.filter((s) => s.engine === s.optimum && s.engineUnplaced === s.optimumUnplaced).length;
  for (const s of small) {
    if (s.status !== "Optimal") failures.push(`small ${s.seed}: HiGHS ended "${s.status}", not a proven optimum`);
    else if (s.engine !== s.optimum || s.engineUnplaced !== s.optimumUnplaced)
      failures.push(
        `small ${s.seed}: engine ${s.engine} hosts (${s.engineUnplaced} unplaced), optimum ${s.optimum} hosts (${s.optimumUnplaced} unplaced)`,
      );
  }
  return {
    id: "small-binpack-vs-mip-optimum",
    target: "hosts used equal to the exact optimum (HiGHS MIP)",
    value: `${equal}/${small.length}`,
    unit: "instances where engine = optimum (hosts and unplaced)",
    pass: equal === small.length && small.every((s) => s.status === "Optimal"),
    engineHostsTotal: sum(small.map((s) => s.engine)),
    optimumHostsTotal: sum(small.map((s) => s.optimum)),
    ratio: round(sum(small.map((s) => s.engine)) / sum(small.map((s) => s.optimum)), 4),
    ratioMeaning: "engine hosts / optimum hosts (summed)",
    baseline: {
      name: "naive first fit",
      hostsTotal: sum(small.map((s) => s.naive)),
      ratioToOptimum: round(sum(small.map((s) => s.naive)) / sum(small.map((s) => s.optimum)), 4),
    },
    engineMsTotal: round(smallEngineMs),
    mipMsTotal: round(mipMs),
    instances: small,
  };
}
