import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../../server/db/generated/client";
import { median } from "./machine";

/** One SQL statement a service issued, with the parameters Prisma bound. */
export interface CapturedQuery {
  sql: string;
  params: unknown[];
}

/**
 * A Prisma client that records every statement it sends (Prisma's query event),
 * so a benchmark can EXPLAIN exactly what a service runs, not a hand-written copy.
 */
export function capturingClient(url: string) {
  const adapter = new PrismaPg({ connectionString: url, max: 2 });
  const db = new PrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
  let sink: CapturedQuery[] | null = null;
  db.$on("query", (e) => {
    if (!sink || /^(BEGIN|COMMIT|ROLLBACK)/i.test(e.query.trim())) return;
    sink.push({ sql: e.query, params: JSON.parse(e.params) as unknown[] });
  });
  return {
    db,
    /** Runs `fn` and returns the statements it issued (in order). */
    async capture(fn: () => Promise<unknown>): Promise<CapturedQuery[]> {
      sink = [];
      try {
        await fn();
        return sink;
      } finally {
        sink = null;
      }
    },
  };
}

export interface ExplainedQuery {
  sql: string;
  /** Median "Execution Time" of EXPLAIN ANALYZE over the runs, ms. */
  executionMs: number;
  planningMs: number;
  /** Top plan node and every scan node with its relation/index. */
  plan: string[];
}

function summarise(node: Record<string, unknown>, out: string[], depth = 0) {
  const type = String(node["Node Type"]);
  const rel = node["Relation Name"] ? ` on ${String(node["Relation Name"])}` : "";
  const idx = node["Index Name"] ? ` using ${String(node["Index Name"])}` : "";
  const rows = node["Actual Rows"] !== undefined ? ` rows=${String(node["Actual Rows"])}` : "";
  if (depth === 0 || /Scan|Sort|Aggregate|Join|Nested|Limit/.test(type))
    out.push(`${"  ".repeat(Math.min(depth, 4))}${type}${rel}${idx}${rows}`);
  for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) summarise(child, out, depth + 1);
}

/** EXPLAIN (ANALYZE, BUFFERS) of each statement `runs` times; the median execution time. */
export async function explainAll(client: pg.ClientBase, queries: CapturedQuery[], runs = 5): Promise<ExplainedQuery[]> {
  const out: ExplainedQuery[] = [];
  for (const q of queries) {
    const exec: number[] = [];
    const planning: number[] = [];
    let plan: string[] = [];
    for (let i = 0; i < runs; i++) {
      const res = await client.query<{ "QUERY PLAN": Record<string, unknown>[] }>(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${q.sql}`,
        q.params,
      );
      const root = res.rows[0]!["QUERY PLAN"][0]!;
      exec.push(Number(root["Execution Time"]));
      planning.push(Number(root["Planning Time"]));
      if (i === 0) {
        plan = [];
        summarise(root.Plan as Record<string, unknown>, plan);
      }
    }
    out.push({
      sql: q.sql.replace(/"public"\./g, "").slice(0, 400),
      executionMs: round3(median(exec)),
      planningMs: round3(median(planning)),
      plan,
    });
  }
  return out;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * The same EXPLAINs with `dropIndexes` removed inside a transaction that is
 * rolled back: the plans and timings the database had before those indexes
 * existed, measured in the same run on the same data.
 */
export async function explainWithout(
  client: pg.ClientBase,
  dropIndexes: string[],
  queries: CapturedQuery[],
  runs = 5,
): Promise<ExplainedQuery[]> {
  await client.query("BEGIN");
  try {
    for (const name of dropIndexes) await client.query(`DROP INDEX IF EXISTS "${name}"`);
    return await explainAll(client, queries, runs);
  } finally {
    await client.query("ROLLBACK");
  }
}
