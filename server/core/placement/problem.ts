import { z } from "zod";
import { HOST_STATES, ISOLATIONS, PLACEMENT_STRATEGIES, SPREAD_MODES, STAGES } from "../model";
import { findCycle } from "./hosting-graph";
import type { PlacementProblem } from "./types";

/**
 * Validation of the JSON placement problem (docs/design.md, contract 2 plus the
 * optional extensions in docs/placement.md). Every error names its field:
 * `hosts[3].cpuMillis: expected a non-negative integer`.
 */

const nonNegInt = (what = "a non-negative integer") =>
  z
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .min(0, { error: `expected ${what}` });
const id = z.string({ error: "expected a non-empty string" }).min(1, { error: "expected a non-empty string" });
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected one of ${values.map((v) => JSON.stringify(v)).join(", ")}` });

const ZHost = z.object({
  id,
  zone: id,
  failureDomain: id,
  cpuMillis: nonNegInt(),
  memoryMiB: nonNegInt(),
  maxReplicas: nonNegInt().optional(),
  state: oneOf(HOST_STATES),
  dedicatedTenant: id.optional(),
  environment: id.optional(),
});

const ZStateServer = z.object({
  id,
  tenant: id,
  replicas: z
    .number({ error: "expected a positive integer" })
    .int({ error: "expected a positive integer" })
    .min(1, { error: "expected a positive integer" })
    .max(99, { error: "expected at most 99 replicas" }),
  cpuMillis: nonNegInt(),
  memoryMiB: nonNegInt(),
  zones: z.array(id, { error: "expected an array of zone ids" }),
  isolation: oneOf(ISOLATIONS),
  spread: oneOf(SPREAD_MODES),
  environments: z.array(id, { error: "expected an array of environment ids" }),
  stage: oneOf(STAGES).optional(),
});

const ZExisting = z.object({ stateServer: id, ordinal: nonNegInt(), host: id });
const ZHostedBy = z.object({ environment: id, hostEnvironment: id });
const ZRule = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("neverShare"), tenants: z.tuple([id, id], { error: "expected two tenant ids" }) }),
    z.object({ kind: z.literal("stageSeparation") }),
    z.object({ kind: z.literal("zoneReserved"), zone: id, tenants: z.array(id, { error: "expected an array of tenant ids" }) }),
  ],
  { error: 'expected kind "neverShare", "stageSeparation" or "zoneReserved"' },
);

const ZProblem = z.object(
  {
    strategy: oneOf(PLACEMENT_STRATEGIES).default("spread"),
    hosts: z.array(ZHost, { error: "expected an array of hosts" }),
    stateServers: z.array(ZStateServer, { error: "expected an array of state servers" }),
    existing: z.array(ZExisting, { error: "expected an array of placements" }).default([]),
    hostedBy: z.array(ZHostedBy, { error: "expected an array of edges" }).optional(),
    rules: z.array(ZRule, { error: "expected an array of rules" }).optional(),
  },
  { error: "expected a JSON object" },
);

export type ParseResult = { ok: true; problem: PlacementProblem } | { ok: false; errors: string[] };

const MAX_ERRORS = 20;

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || "(root)";
}

/** Parses and checks a placement problem; never throws. */
export function parsePlacementProblem(input: unknown): ParseResult {
  const parsed = ZProblem.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.slice(0, MAX_ERRORS).map((i) => `${formatPath(i.path)}: ${i.message}`);
    return { ok: false, errors };
  }
  const problem = parsed.data as PlacementProblem;
  const errors = checkReferences(problem);
  return errors.length ? { ok: false, errors: errors.slice(0, MAX_ERRORS) } : { ok: true, problem };
}

function checkReferences(p: PlacementProblem): string[] {
  const errors: string[] = [];
  const hostIds = new Set<string>();
  p.hosts.forEach((h, i) => {
    if (hostIds.has(h.id)) errors.push(`hosts[${i}].id: duplicate host id ${JSON.stringify(h.id)}`);
    hostIds.add(h.id);
  });
  const servers = new Map<string, number>();
  p.stateServers.forEach((s, i) => {
    if (servers.has(s.id)) errors.push(`stateServers[${i}].id: duplicate state server id ${JSON.stringify(s.id)}`);
    servers.set(s.id, s.replicas);
  });
  const seen = new Set<string>();
  p.existing.forEach((e, i) => {
    if (!servers.has(e.stateServer)) errors.push(`existing[${i}].stateServer: unknown state server ${JSON.stringify(e.stateServer)}`);
    if (!hostIds.has(e.host)) errors.push(`existing[${i}].host: unknown host ${JSON.stringify(e.host)}`);
    const key = `${e.stateServer}\u0000${e.ordinal}`;
    if (seen.has(key)) errors.push(`existing[${i}].ordinal: replica ${e.ordinal} of ${e.stateServer} is listed twice`);
    seen.add(key);
  });
  const cycle = findCycle((p.hostedBy ?? []).map((e) => [e.environment, e.hostEnvironment] as [string, string]));
  if (cycle) errors.push(`hostedBy: the hosted-by graph has a cycle: ${[...cycle, cycle[0]].join(" -> ")}`);
  (p.rules ?? []).forEach((r, i) => {
    if (r.kind === "neverShare" && r.tenants[0] === r.tenants[1])
      errors.push(`rules[${i}].tenants: a tenant cannot be kept apart from itself`);
  });
  return errors;
}
