import { z } from "zod";
import { ZMapSelection } from "@/server/contracts/placement";
import { callerFromSession, readsEverything } from "@/server/auth/caller";
import { getSession } from "@/server/auth/session";
import { db } from "@/server/db/client";
import { exportRows, toCsv } from "@/server/services/placement-map/export";
import { loadPlacementMap } from "@/server/services/placement-map/map";

export const dynamic = "force-dynamic";

const ZExportQuery = ZMapSelection.extend({ format: z.enum(["json", "csv"]).default("json"), at: z.coerce.date().optional() });

/** GET /api/placement/export?format=json|csv&tenant=&env=&server=&host=&zone=&stage=&health=&at= — the map's current selection. */
export async function GET(request: Request) {
  const session = await getSession();
  if (!session) return Response.json({ error: "Sign in to continue" }, { status: 401 });
  const caller = callerFromSession(session);
  if (!readsEverything(caller))
    return Response.json({ error: "Only support staff and administrators can export the placement map" }, { status: 403 });
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = ZExportQuery.safeParse(params);
  if (!parsed.success)
    return Response.json({ error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }, { status: 400 });
  const { format, at, ...selection } = parsed.data;
  const map = await loadPlacementMap(db(), caller, at ?? null);
  const rows = exportRows(map, selection);
  const stamp = (at ?? new Date()).toISOString().slice(0, 19).replace(/[:T]/g, "-");
  const headers = { "cache-control": "no-store", "content-disposition": `attachment; filename="statehouse-placement-${stamp}.${format}"` };
  if (format === "csv") return new Response(toCsv(rows), { headers: { ...headers, "content-type": "text/csv; charset=utf-8" } });
  return Response.json(
    { generatedAt: map.generatedAt, asOf: map.asOf, version: map.version, selection, count: rows.length, replicas: rows },
    { headers },
  );
}
