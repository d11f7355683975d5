import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createContextInner } from "@/server/api/trpc";
import { sessionFromHeaders } from "@/server/auth/request-session";
import { db } from "@/server/db/client";

/**
 * tRPC through Next.js (`next dev`, `next start`). `npm start` serves
 * /api/trpc from the web server's own path instead (server/web), which skips
 * Next.js's routing; both build the same context.
 */
const handler = async (req: Request) =>
  fetchRequestHandler({
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

export { handler as GET, handler as POST };
