import { db } from "@/server/db/client";
import { handleJoin } from "@/server/agent-api/handlers";

export const dynamic = "force-dynamic";

/** An agent exchanges a one-time join token for its host credential. */
export function POST(request: Request) {
  return handleJoin(db(), request);
}
