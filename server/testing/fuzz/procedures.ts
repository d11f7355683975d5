import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import { appRouter } from "../../api/root";

/** Every procedure of the app router with its type, enumerated from the router (new ones are covered without an edit). */
export function routerProcedures(): { path: string; type: "query" | "mutation" | "subscription" }[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: "query" | "mutation" | "subscription" } }>;
  return Object.entries(procedures)
    .map(([path, p]) => ({ path, type: p._def.type }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** The HTTP status the tRPC handler answers for an error (the same table: tRPC's own). */
export const httpStatusOf = (error: TRPCError) => getHTTPStatusCodeFromError(error);

/**
 * What a rejection must look like to a client: a readable message, no stack,
 * no database internals, no echo of a huge input. Returns the problem, if any.
 */
export function unclearRejection(error: TRPCError): string | undefined {
  const status = httpStatusOf(error);
  if (status >= 500) return `status ${status} (${error.code}): ${error.message.slice(0, 300)}`;
  const message = error.message;
  if (!message.trim()) return "empty message";
  if (message.length > 4000) return `message of ${message.length} chars`;
  if (/\n\s+at |prisma|invalid `|violates|syntax error|ECONN|TypeError|Cannot read/i.test(message))
    return `internal detail in message: ${message.slice(0, 300)}`;
  return undefined;
}
