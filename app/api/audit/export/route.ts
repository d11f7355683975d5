import { ZAuditFilter } from "@/server/contracts/audit";
import { withCaller, queryOf } from "@/server/http/with-caller";
import { auditCsv } from "@/server/services/audit-query";

export const dynamic = "force-dynamic";

/** GET /api/audit/export?actor=&tenantId=&action=&targetType=&targetId=&from=&to= — the audit page's filters, as CSV. */
export const GET = withCaller("support", async ({ request, db, caller }) => {
  const lines = auditCsv(db, caller, queryOf(ZAuditFilter, request));
  // The header and the first page (the first query) before the 200: a failure is still a status, not a stream cut short.
  const head: string[] = [];
  let done = false;
  while (head.length < 2 && !done) {
    const next = await lines.next();
    if (next.done) done = true;
    else head.push(next.value);
  }
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(head.join("")));
      if (done) controller.close();
    },
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="statehouse-audit-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
});
