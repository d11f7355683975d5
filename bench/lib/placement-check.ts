import { performance } from "node:perf_hooks";
import { type PlacementProblem, type PlacementResult, verifyPlacement } from "../../server/core/placement";

export const now = () => performance.now();
export const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
/** 10000 -> "10k", 2500 -> "2500": figure ids name the instance size. */
export const size = (n: number) => (n % 1000 === 0 ? `${n / 1000}k` : String(n));

export const hostsUsed = (r: { placements: { host: string }[] }) => new Set(r.placements.map((p) => p.host)).size;

export const maxPerHost = (r: { placements: { host: string }[] }) => {
  const m = new Map<string, number>();
  for (const p of r.placements) m.set(p.host, (m.get(p.host) ?? 0) + 1);
  return Math.max(...m.values());
};

export function timeIt<T>(f: () => T): { ms: number; value: T } {
  const t = now();
  const value = f();
  return { ms: now() - t, value };
}

/** Throws (the run is wrong, not slow) when verifyPlacement finds a violation. */
export function mustVerify(name: string, p: PlacementProblem, r: Pick<PlacementResult, "placements" | "unplaced">) {
  const v = verifyPlacement(p, r);
  if (v.length) throw new Error(`${name}: ${v.length} violations, first: ${v[0]!.message}`);
}

/** The replicas a result does not place, as unplaced entries, so verifyPlacement judges a baseline that only counts them. */
export function leftOut(p: PlacementProblem, placements: { stateServer: string; ordinal: number }[]): PlacementResult["unplaced"] {
  const placed = new Set(placements.map((x) => `${x.stateServer}#${x.ordinal}`));
  return p.stateServers.flatMap((s) =>
    Array.from({ length: s.replicas }, (_, ordinal) => ({ stateServer: s.id, ordinal }))
      .filter((r) => !placed.has(`${r.stateServer}#${r.ordinal}`))
      .map((r) => ({ ...r, reasons: {}, message: "the baseline found no host" })),
  );
}
