import type { Measured } from "./api-load";
import { READ_TARGET, round } from "./api-settings";

/** One line of bench/results/api.json: a figure, its target, and its same-run baseline. */
export interface Figure {
  name: string;
  unit: string;
  target: string;
  value: number | string;
  baseline: Record<string, unknown> | null;
  ratio: number | null;
  pass?: boolean;
}

/**
 * A same-run comparison of the reads measured through `measured`'s server and
 * through another (`others`: keys suffixed with ` (<what>)`).
 */
export function versus(measured: Measured[], others: Measured[], what: string, baselineName: string): Figure[] {
  return others.flatMap((n) => {
    const m = measured.find((x) => `${x.key} (${what})` === n.key);
    if (!m) return [];
    const baselineOf = { name: baselineName, p50Ms: n.p50, p99Ms: n.p99, reqPerS: n.rps };
    return [
      {
        name: `${m.label}: throughput, web server vs ${what}`,
        unit: "req/s",
        target: "",
        value: m.rps,
        baseline: baselineOf,
        ratio: round(m.rps / Math.max(0.1, n.rps), 1),
      },
      {
        name: `${m.label}: p99, web server vs ${what}`,
        unit: "ms",
        target: "",
        value: m.p99,
        baseline: baselineOf,
        ratio: round(m.p99 / Math.max(0.1, n.p99), 3),
      },
    ];
  });
}

/** Each measured endpoint's latency, throughput and correctness, against session.me and GET /api/health of the same run. */
export function endpointFigures(measured: Measured[]): Figure[] {
  const floor = measured.find((m) => m.key === "session.me")!;
  const health = measured.find((m) => m.key === "health")!;
  const baseline = (what: "p50" | "p99" | "rps") => ({
    name: "session.me, same run, same concurrency",
    [what === "rps" ? "reqPerS" : `${what}Ms`]: floor[what],
    [what === "rps" ? "healthReqPerS" : `health${what}Ms`]: health[what],
  });
  return measured
    .filter((m) => m.key !== "health" && m.key !== "session.me")
    .flatMap((m) => [
      {
        name: `${m.label}: p50`,
        unit: "ms",
        target: "",
        value: m.p50,
        baseline: baseline("p50"),
        ratio: round(m.p50 / Math.max(0.1, floor.p50), 2),
      },
      {
        name: `${m.label}: p99`,
        unit: "ms",
        target: m.read ? `<= ${READ_TARGET.p99Ms} ms` : "",
        value: m.p99,
        baseline: baseline("p99"),
        ratio: round(m.p99 / Math.max(0.1, floor.p99), 2),
        ...(m.read ? { pass: m.p99 <= READ_TARGET.p99Ms } : {}),
      },
      {
        name: `${m.label}: throughput`,
        unit: "req/s",
        target: m.read ? `>= ${READ_TARGET.rps} req/s` : "",
        value: m.rps,
        baseline: baseline("rps"),
        ratio: round(m.rps / Math.max(0.1, floor.rps), 2),
        ...(m.read ? { pass: m.rps >= READ_TARGET.rps } : {}),
      },
      {
        name: `${m.label}: errors / wrong answers`,
        unit: "",
        target: "0",
        value: `${m.errors} / ${m.wrong} of ${m.requests}${Object.keys(m.refused).length ? ` (refused: ${JSON.stringify(m.refused)})` : ""}${m.alongside ? `; alongside, ${m.alongside.key} answered ${m.alongside.rps} req/s` : ""}`,
        baseline: null,
        ratio: null,
        pass: m.errors === 0 && m.wrong === 0,
      },
    ]);
}
