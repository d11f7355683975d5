import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createContextInner } from "@/server/api/trpc";
import { sessionFromHeaders } from "@/server/auth/request-session";
import { db } from "@/server/db/client";
import { readLimitedText, TRPC_BODY_LIMIT } from "@/server/http/body-limit";
import { problemFromThrown, problemResponse } from "@/server/http/problem";
import { guardRequest } from "@/server/http/request-guard";

/**
 * tRPC through Next.js (`next dev`, `next start`). `npm start` serves
 * /api/trpc from the web server's own path instead (server/web), which skips
 * Next.js's routing; both build the same context and pass the same guard
 * (body limit, same-origin rule for writes).
 */
const handler = async (request: Request) => {
  const refused = guardRequest(request.method, new URL(request.url).pathname, request.headers);
  if (refused) return problemResponse(problemFromThrown(refused));
  let req = request;
  if (request.body) {
    // A body streamed without a declared length is cut off at the limit (413), not read whole.
    try {
      req = new Request(request, { body: await readLimitedText(request, TRPC_BODY_LIMIT) });
    } catch (thrown) {
      return problemResponse(problemFromThrown(thrown));
    }
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () =>
      createContextInner({
        session: await sessionFromHeaders(db(), req.headers),
        headers: req.headers,
        requestId: req.headers.get("x-request-id") ?? undefined,
      }),
  });
};

export { handler as GET, handler as POST };
