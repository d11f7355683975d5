import type { AppError } from "../errors";
import { AGENT_BODY_LIMIT, bodyTooLarge, declaredTooLarge, ROUTE_BODY_LIMIT, TRPC_BODY_LIMIT } from "./body-limit";
import { crossSiteRefusal } from "./same-origin";

interface HeaderSource {
  get(name: string): string | null;
}

/** The body limit of an endpoint, by path. */
export function bodyLimitFor(pathname: string): number {
  if (pathname.startsWith("/api/trpc")) return TRPC_BODY_LIMIT;
  if (pathname.startsWith("/api/agent/")) return AGENT_BODY_LIMIT;
  return ROUTE_BODY_LIMIT;
}

/**
 * What every request passes before anything reads its body or its session:
 * the body limit (a declared length over it is 413 at once) and the
 * same-origin rule for writes (server/http/same-origin.ts). The agent protocol
 * carries its own credentials (a host credential, a join token in the body):
 * no browser cookie is involved, so it is exempt from the origin rule.
 */
export function guardRequest(method: string | undefined, pathname: string, headers: HeaderSource): AppError | null {
  const limit = bodyLimitFor(pathname);
  if (declaredTooLarge(headers.get("content-length"), limit)) return bodyTooLarge(limit);
  if (pathname.startsWith("/api/agent/")) return null;
  return crossSiteRefusal(method, headers);
}
