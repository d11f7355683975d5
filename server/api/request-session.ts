import "server-only";
import { getSession } from "../auth/session";
import type { AppSession } from "../auth/types";
import { db } from "../db/client";
import { API_TOKEN_PREFIX, sessionFromApiToken } from "../services/api-tokens";

/** A request's session: the browser's session cookie, or a personal API token (`Bearer sht_…`). */
export async function sessionForRequest(req: Request): Promise<AppSession | null> {
  const header = req.headers.get("authorization") ?? "";
  if (header.startsWith(`Bearer ${API_TOKEN_PREFIX}_`)) return sessionFromApiToken(db(), header.slice(7).trim());
  return getSession();
}
