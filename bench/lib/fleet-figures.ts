import { type Load } from "./fleet-load";
import { round } from "./fleet-settings";
import { writeBenchResult } from "./results";

/** The heartbeat figures of one server at one rate, against its health endpoint measured just before. */
export const figuresAt = (n: number, hb: Load, h: Load, target: boolean, server: string) => [
  {
    name: `heartbeat p50 (${n} agents at 1 Hz, ${server})`,
    unit: "ms",
    target: null,
    value: hb.p50,
    baseline: h.p50,
    ratio: round(hb.p50 / h.p50),
    pass: null,
  },
  {
    name: `heartbeat p99 (${n} agents at 1 Hz, ${server})`,
    unit: "ms",
    target: target ? "<= 50" : null,
    value: hb.p99,
    baseline: h.p99,
    ratio: round(hb.p99 / h.p99),
    pass: target ? hb.p99 <= 50 : null,
  },
  {
    name: `heartbeat errors (${n} agents, ${server})`,
    unit: "requests",
    target: target ? "0" : null,
    value: hb.errors,
    baseline: h.errors,
    ratio: null,
    pass: target ? hb.errors === 0 : null,
  },
  {
    name: `heartbeats answered per second (${n} sent per second, ${server})`,
    unit: "req/s",
    target: target ? `${n}` : null,
    value: hb.answeredRps,
    baseline: h.answeredRps,
    ratio: round(hb.answeredRps / h.answeredRps),
    pass: target ? hb.answeredRps >= n * 0.98 : null,
  },
  {
    name: `server CPU per heartbeat (${n} agents, ${server})`,
    unit: "ms",
    target: null,
    value: hb.appCpuMsPerRequest,
    baseline: h.appCpuMsPerRequest,
    ratio: round(hb.appCpuMsPerRequest / h.appCpuMsPerRequest),
    pass: null,
  },
];

export function writeResult(
  r: { machine: object; figures: object[]; samples: object; baselineNote: string; saturation: string },
  args: string,
) {
  const result = {
    benchmark: "fleet",
    command: `npm run bench:fleet ${args}`.trim(),
    date: new Date().toISOString(),
    machine: r.machine,
    baseline: r.baselineNote,
    saturation: r.saturation,
    figures: r.figures,
    samples: r.samples,
  };
  const written = writeBenchResult("fleet", result, 1);
  console.log(JSON.stringify(result.figures, null, 1));
  console.log(`${written} written`);
}
