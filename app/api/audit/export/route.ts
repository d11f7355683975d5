import { callerFromSession } from "@/server/auth/caller";
import { getSession } from "@/server/auth/session";
import { ZAuditFilter } from "@/server/contracts/audit";
import { db } from "@/server/db/client";
import { readsEverything } from "@/server/auth/caller";
import { auditCsv } from "@/server/services/audit-query";

export const dynamic = "force-dynamic";

/** GET /api/audit/export?actor=&tenantId=&action=&targetType=&targetId=&from=&to= — the audit page's filters, as CSV. */
export async function GET(request: Request) {
  const session = await getSession();
  if (!session) return Response.json({ error: "Sign in to continue" }, { status: 401 });
  const caller = callerFromSession(session);
  if (!readsEverything(caller))
    return Response.json({ error: "Only support staff and administrators can export the audit log" }, { status: 403 });
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const filter = ZAuditFilter.safeParse(params);
  if (!filter.success)
    return Response.json({ error: filter.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }, { status: 400 });
  const lines = auditCsv(db(), caller, filter.data);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
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
}
