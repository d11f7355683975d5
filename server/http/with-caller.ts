import type { z } from "zod";
import { callerFromSession, requireTier, type Tier, type UserCaller } from "../auth/caller";
import { sessionFromHeaders } from "../auth/request-session";
import type { AppSession } from "../auth/types";
import { unstorablePath } from "../contracts/ranges";
import { db as defaultDb, type Db } from "../db/client";
import { AppError } from "../errors";
import { bodyTooLarge, declaredTooLarge, ROUTE_BODY_LIMIT } from "./body-limit";
import { invalidInput, problemFromThrown, problemResponse } from "./problem";
import { crossSiteRefusal } from "./same-origin";

export interface RouteCall<TCaller> {
  request: Request;
  db: Db;
  session: TCaller extends UserCaller ? AppSession : AppSession | null;
  caller: TCaller;
}

/**
 * A route handler behind the one authorization module: the same-origin rule
 * for writes, the body limit (413 before reading), the session (API token or
 * browser cookie, revocation checked), the tier (server/auth/caller.ts), and
 * every failure, thrown AppErrors included, answered in the one problem format
 * (server/http/problem.ts). The handler itself only parses and answers.
 */
export function withCaller(tier: Exclude<Tier, "public">, handle: (call: RouteCall<UserCaller>) => Promise<Response>, db?: () => Db) {
  return async (request: Request): Promise<Response> => {
    try {
      const refusal = crossSiteRefusal(request.method, request.headers);
      if (refusal) throw refusal;
      if (declaredTooLarge(request.headers.get("content-length"), ROUTE_BODY_LIMIT)) throw bodyTooLarge(ROUTE_BODY_LIMIT);
      const database = (db ?? defaultDb)();
      const session = await sessionFromHeaders(database, request.headers);
      const caller = session ? callerFromSession(session) : null;
      requireTier(caller, tier);
      return await handle({ request, db: database, session: session!, caller });
    } catch (thrown) {
      return problemResponse(problemFromThrown(thrown, { url: request.url }));
    }
  };
}

/** The request's query string through a zod schema (empty values dropped); a mismatch is VALIDATION naming the field. */
export function queryOf<T extends z.ZodType>(schema: T, request: Request): z.output<T> {
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const unstorable = unstorablePath(params);
  if (unstorable) {
    const field = unstorable.join(".") || "query";
    throw new AppError("VALIDATION", `${field}: text must not contain NUL characters or invalid Unicode`, { field });
  }
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data;
}
