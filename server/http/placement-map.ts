import { z } from "zod";
import { callerFromSession, requireTier } from "../auth/caller";
import { ZInstant } from "../contracts/ranges";
import type { AppSession } from "../auth/types";
import type { Db } from "../db/client";
import { type AppError, findAppError } from "../errors";
import { invalidInput, problemOf } from "./problem";
import { loadPlacementMap, placementVersion } from "../services/placement-map/map";
import { acceptsGzip, encodedOnce } from "../shared-output";

/** An HTTP answer either server can write: node:http (server/web) or a Next.js route handler. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

const problem = (error: AppError): RawAnswer => {
  const { status, body } = problemOf(error);
  return { status, headers: { "content-type": "application/json", "cache-control": "no-store" }, body: JSON.stringify(body) };
};

const ZMapQuery = z.object({ asOf: ZInstant.optional() });

/**
 * GET /api/placement/map[?asOf=ISO time]: the whole fleet as the map draws it
 * (the columnar PlacementMap, plain JSON: it holds no dates or other types
 * that need superjson). The present map is built, serialized and gzipped once
 * per version; the ETag is the version, so a browser revalidating gets 304
 * without a body. The tRPC procedure placement.map returns the same map in
 * tRPC's envelope, for API clients (on the web server also encoded once per
 * version; batched from a browser, serialized per call).
 */
export async function placementMapAnswer(db: Db, session: AppSession | null, query: URLSearchParams, headers: Headers): Promise<RawAnswer> {
  const caller = session ? callerFromSession(session) : null;
  try {
    requireTier(caller, "support");
    const parsed = ZMapQuery.safeParse({ asOf: query.get("asOf") || undefined });
    if (!parsed.success) throw invalidInput(parsed.error);
    const asOf = parsed.data.asOf ?? null;
    if (asOf) {
      const map = await loadPlacementMap(db, caller, asOf);
      return {
        status: 200,
        headers: { "content-type": "application/json", "cache-control": "private, no-cache" },
        body: JSON.stringify(map),
      };
    }
    const etag = `"${await placementVersion(db, caller)}"`;
    const cacheHeaders = { etag, "cache-control": "private, no-cache", vary: "accept-encoding" };
    if (headers.get("if-none-match") === etag) return { status: 304, headers: cacheHeaders, body: "" };
    // The present map is shared by every viewer of its version: its JSON and gzip are made once.
    const map = await loadPlacementMap(db, caller);
    const enc = encodedOnce(map, "json", () => JSON.stringify(map));
    const gzipped = !!enc.gzip && acceptsGzip(headers.get("accept-encoding"));
    return {
      status: 200,
      headers: {
        ...cacheHeaders,
        etag: `"${map.version}"`,
        "content-type": "application/json",
        ...(gzipped ? { "content-encoding": "gzip" } : {}),
      },
      body: gzipped ? await enc.gzip! : enc.text,
    };
  } catch (error) {
    const app = findAppError(error);
    if (app) return problem(app);
    throw error;
  }
}
