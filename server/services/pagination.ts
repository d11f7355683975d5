import { z } from "zod";

export const PageInput = z
  .object({
    limit: z.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(64).nullish(),
  })
  .default({ limit: 20 });
export type PageInput = z.infer<typeof PageInput>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Prisma arguments for a keyset page on a unique string `id`. */
export function pageArgs(page: PageInput) {
  return {
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
  };
}

export function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}
