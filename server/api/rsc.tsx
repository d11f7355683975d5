import "server-only";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy, type TRPCQueryOptions } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache, type ReactNode } from "react";
import { getSession } from "../auth/session";
import { makeQueryClient } from "./query-client";
import { appRouter } from "./root";
import { createContextInner } from "./trpc";

/** Server components call procedures in-process (no HTTP hop) and hand the cache to the client. */
export const getQueryClient = cache(makeQueryClient);

const createRscContext = cache(async () =>
  createContextInner({ session: await getSession(), headers: new Headers(await headers()) }),
);

export const trpc = createTRPCOptionsProxy({ ctx: createRscContext, router: appRouter, queryClient: getQueryClient });

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- accepts any procedure's options
export function prefetch<T extends ReturnType<TRPCQueryOptions<any>>>(queryOptions: T): void {
  void getQueryClient().prefetchQuery(queryOptions);
}
