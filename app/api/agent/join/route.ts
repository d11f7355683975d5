import { db } from "@/server/db/client";
import { handleJoin } from "@/server/services/runtime/agent-http";

export const dynamic = "force-dynamic";

/** An agent exchanges a one-time join token for its host credential. */
export function POST(request: Request) {
  return handleJoin(db(), request);
}
