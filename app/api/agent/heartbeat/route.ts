import { db } from "@/server/db/client";
import { handleHeartbeat } from "@/server/agent-api/handlers";
import { hotPool } from "@/server/services/runtime/hot-pool";

export const dynamic = "force-dynamic";

/** Host heartbeat (Authorization: Bearer <host credential>): observed replicas in, desired replicas out. */
export function POST(request: Request) {
  return handleHeartbeat(db(), request, hotPool());
}
