import "server-only";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy, type TRPCQueryOptions } from "@trpc/tanstack-react-query";
import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { cache, type ReactNode } from "react";
import { getSession } from "../auth/session";
import { makeQueryClient } from "./query-client";
import { appRouter } from "./root";
import { createContextInner } from "./trpc";

/** Server components call procedures in-process (no HTTP hop) and hand the cache to the client. */
export const getQueryClient = cache(makeQueryClient);

const createRscContext = cache(async () => createContextInner({ session: await getSession(), headers: new Headers(await headers()) }));

export const trpc = createTRPCOptionsProxy({ ctx: createRscContext, router: appRouter, queryClient: getQueryClient });

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}

/**
 * Pages await this before <HydrateClient>: a query still pending when the cache is
 * dehydrated renders its loading state on the server, while the browser resolves the
 * streamed promise synchronously and renders the data — React's hydration error #418.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- accepts any procedure's options
export function prefetch<T extends ReturnType<TRPCQueryOptions<any>>>(queryOptions: T): Promise<void> {
  return getQueryClient().prefetchQuery(queryOptions);
}

/**
 * For a page about one record: fetches it into the cache (the client hydrates
 * from it) and renders Next's not-found page when it does not exist or is not
 * the caller's to see (a foreign id is NOT_FOUND, never a leak).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- accepts any procedure's options
export async function fetchOrNotFound<T extends ReturnType<TRPCQueryOptions<any>>>(queryOptions: T) {
  try {
    return await getQueryClient().fetchQuery(queryOptions);
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
}
