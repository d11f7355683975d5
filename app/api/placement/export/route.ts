import { z } from "zod";
import { ZMapSelection } from "@/server/contracts/placement";
import { ZInstant } from "@/server/contracts/ranges";
import { queryOf, withCaller } from "@/server/http/with-caller";
import { exportRows, toCsv } from "@/server/services/placement-map/export";
import { loadPlacementMap } from "@/server/services/placement-map/map";

export const dynamic = "force-dynamic";

const ZExportQuery = ZMapSelection.extend({ format: z.enum(["json", "csv"]).default("json"), at: ZInstant.optional() });

/** GET /api/placement/export?format=json|csv&tenant=&env=&server=&host=&zone=&stage=&health=&at= — the map's current selection. */
export const GET = withCaller("support", async ({ request, db, caller }) => {
  const { format, at, ...selection } = queryOf(ZExportQuery, request);
  const map = await loadPlacementMap(db, caller, at ?? null);
  const rows = exportRows(map, selection);
  const stamp = (at ?? new Date()).toISOString().slice(0, 19).replace(/[:T]/g, "-");
  const headers = { "cache-control": "no-store", "content-disposition": `attachment; filename="statehouse-placement-${stamp}.${format}"` };
  if (format === "csv") return new Response(toCsv(rows), { headers: { ...headers, "content-type": "text/csv; charset=utf-8" } });
  return Response.json(
    { generatedAt: map.generatedAt, asOf: map.asOf, version: map.version, selection, count: rows.length, replicas: rows },
    { headers },
  );
});
