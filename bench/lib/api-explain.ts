import pg from "pg";
import { callerFromSession } from "../../server/auth/caller";
import { loadSessionUser } from "../../server/auth/session-user";
import { sessionFromApiToken } from "../../server/services/api-tokens";
import { getEnvironmentDetail } from "../../server/services/environment-lifecycle";
import { listEnvironments } from "../../server/services/environments";
import { loadPlacementMap, placementVersion } from "../../server/services/placement-map/map";
import { NEW_INDEXES, round, SHORT } from "./api-settings";
import { capturingClient, explainAll, explainWithout, type ExplainedQuery } from "./explain";
import type { LoadUsers } from "./load-clients";

/** EXPLAIN ANALYZE of every read statement behind each procedure, without and with the new indexes. */
export async function explainReads(url: string, users: LoadUsers) {
  const { db, capture } = capturingClient(url);
  const pgc = new pg.Client({ connectionString: url });
  await pgc.connect();
  try {
    const member = callerFromSession({ user: (await loadSessionUser(db, users.clients[0]!.userId))!, expires: "" });
    const support = callerFromSession({ user: (await loadSessionUser(db, users.support.userId))!, expires: "" });
    const envId = users.clients[0]!.environmentIds[0]!;
    const procedures: [string, () => Promise<unknown>][] = [
      ["session (API token → session)", () => sessionFromApiToken(db, users.clients[0]!.token)],
      ["environment.list (tenant owner)", () => listEnvironments(db, member, { limit: 20 })],
      ["environment.list (support, all tenants)", () => listEnvironments(db, support, { limit: 20 })],
      ["environment.get", () => getEnvironmentDetail({ db, caller: member, requestId: "explain" }, envId)],
      ["placement.version (every map request and poll)", () => placementVersion(db, support)],
      ["placement.map build (once per version)", () => loadPlacementMap(db, support)],
    ];
    const out: {
      procedure: string;
      statements: number;
      beforeMs: number;
      afterMs: number;
      queries: { sql: string; before: ExplainedQuery; after: ExplainedQuery }[];
    }[] = [];
    for (const [procedure, fn] of procedures) {
      const statements = (await capture(fn)).filter((q) => /^\s*(SELECT|WITH)/i.test(q.sql));
      const before = await explainWithout(pgc, NEW_INDEXES, statements, SHORT ? 2 : 5);
      const after = await explainAll(pgc, statements, SHORT ? 2 : 5);
      const sum = (xs: ExplainedQuery[]) =>
        round(
          xs.reduce((a, q) => a + q.executionMs, 0),
          3,
        );
      out.push({
        procedure,
        statements: statements.length,
        beforeMs: sum(before),
        afterMs: sum(after),
        queries: statements.map((q, i) => ({ sql: after[i]!.sql, before: { ...before[i]!, sql: "" }, after: { ...after[i]!, sql: "" } })),
      });
      console.log(
        `EXPLAIN ${procedure}: ${statements.length} statements, ${sum(before)} ms without the new indexes → ${sum(after)} ms with them`,
      );
    }
    return out;
  } finally {
    await pgc.end();
    await db.$disconnect();
  }
}
