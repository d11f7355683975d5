import { db } from "@/server/db/client";
import { handleHeartbeat } from "@/server/services/runtime/agent-http";

export const dynamic = "force-dynamic";

/** Host heartbeat (Authorization: Bearer <host credential>): observed replicas in, desired replicas out. */
export function POST(request: Request) {
  return handleHeartbeat(db(), request);
}
