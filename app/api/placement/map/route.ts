import { sessionFromHeaders } from "@/server/auth/request-session";
import { db } from "@/server/db/client";
import { placementMapAnswer } from "@/server/http/placement-map";

export const dynamic = "force-dynamic";

/** GET /api/placement/map (see server/http/placement-map.ts); the web server answers it itself, this serves `next start`. */
export async function GET(request: Request) {
  const answer = await placementMapAnswer(db(), await sessionFromHeaders(db(), request.headers), new URL(request.url).searchParams, request.headers);
  return new Response(answer.status === 304 ? null : new Uint8Array(answer.body instanceof Buffer ? answer.body : Buffer.from(answer.body)), {
    status: answer.status,
    headers: answer.headers,
  });
}
