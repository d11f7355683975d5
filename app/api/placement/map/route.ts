import { sessionFromHeaders } from "@/server/auth/request-session";
import { db } from "@/server/db/client";
import { placementMapAnswer } from "@/server/http/placement-map";

export const dynamic = "force-dynamic";

/**
 * GET /api/placement/map (see server/http/placement-map.ts) under `next start`;
 * the web server answers it itself. Next.js compresses responses on its own,
 * so the identity JSON is asked for here, never the pre-gzipped bytes.
 */
export async function GET(request: Request) {
  const headers = new Headers(request.headers);
  headers.delete("accept-encoding");
  const answer = await placementMapAnswer(db(), await sessionFromHeaders(db(), headers), new URL(request.url).searchParams, headers);
  const body = answer.status === 304 ? null : typeof answer.body === "string" ? answer.body : new Uint8Array(answer.body);
  return new Response(body, { status: answer.status, headers: answer.headers });
}
