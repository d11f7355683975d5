import { z } from "zod";
import { openCursor, sealCursor } from "../auth/cursor";
import { ZCursor } from "../contracts/ranges";

export const PageInput = z
  .object({
    limit: z.number().int().min(1).max(100).default(20),
    cursor: ZCursor.nullish(),
  })
  .default({ limit: 20 });
export type PageInput = z.infer<typeof PageInput>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Where a cursor is valid: the list and who reads it (cursors are sealed to
 * both, server/auth/cursor.ts). `scope` is what decides the rows the caller
 * sees (their tenant scope), so callers who see the same rows share pages.
 */
export interface CursorScope {
  list: string;
  scope: string;
}

/** Prisma arguments for a keyset page on a unique string `id`; a cursor from elsewhere is a VALIDATION error. */
export function pageArgs(page: PageInput, where: CursorScope) {
  return {
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: openCursor(where.list, where.scope, page.cursor) }, skip: 1 } : {}),
  };
}

export function toPage<T extends { id: string }>(rows: T[], limit: number, where: CursorScope): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? sealCursor(where.list, where.scope, last.id) : null };
}
