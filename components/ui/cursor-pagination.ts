/**
 * Shared by server pages (prefetch) and client lists (useQuery): both must build the
 * first page's input identically, or the hydrated query key will not match.
 * Kept free of "use client" so server components get the real value.
 */
export const PAGE_SIZE = 20;

export type PageInput = { limit: number; cursor?: string };

export function pageInput(cursor: string | null, limit: number = PAGE_SIZE): PageInput {
  return cursor ? { limit, cursor } : { limit };
}
