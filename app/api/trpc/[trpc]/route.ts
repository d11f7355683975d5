import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createContextInner } from "@/server/api/trpc";
import { sessionForRequest } from "@/server/api/request-session";

const handler = async (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () =>
      createContextInner({
        session: await sessionForRequest(req),
        headers: req.headers,
        requestId: req.headers.get("x-request-id") ?? undefined,
      }),
  });

export { handler as GET, handler as POST };
