import { z } from "zod";

/**
 * Range-checked scalars shared by every input schema. A date past what
 * Postgres and Prisma can store (JavaScript allows ±275760 years) or a number
 * past its column is refused here, as a 400 naming the field, instead of
 * failing inside the database as a 500.
 */
export const EARLIEST_INSTANT = new Date("1970-01-01T00:00:00.000Z");
export const LATEST_INSTANT = new Date("9999-12-31T23:59:59.999Z");

/** A date and time (ISO 8601 text, epoch milliseconds or a Date) between 1970 and 9999. */
export const ZInstant = z.coerce
  .date({ error: "not a date and time (ISO 8601 expected)" })
  .min(EARLIEST_INSTANT, "must be on or after 1970-01-01")
  .max(LATEST_INSTANT, "must be on or before 9999-12-31");

/** An opaque list cursor as handed out in `nextCursor` (server/auth/cursor.ts checks what is inside). */
export const ZCursor = z.string().min(1).max(300);

/** "field: message; field: message" for a zod error (the same text the tRPC formatter gives). */
export function issuesText(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join(".") : "input"}: ${issue.message}`).join("; ");
}

/** A NUL or a lone surrogate cannot be stored (Postgres and Prisma's engine refuse it): a 400, not a 500. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path to the first string (or key) in `value` that cannot be stored, if any. */
export function unstorablePath(value: unknown, path: string[] = [], depth = 0): string[] | undefined {
  if (typeof value === "string") return UNSTORABLE.test(value) ? path : undefined;
  if (!value || typeof value !== "object" || depth > 32) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = UNSTORABLE.test(key) ? [...path, key] : unstorablePath(item, [...path, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}
