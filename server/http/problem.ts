import { randomUUID } from "node:crypto";
import type { ZodError } from "zod";
import { issuesText } from "../contracts/ranges";
import { AppError, findAppError } from "../errors";
import { logger } from "../observability/logger";

/**
 * The one error body of every HTTP answer outside tRPC (route handlers, the
 * web server's own routes): `{ error, code, field }`, the status from the
 * AppError table in server/errors.ts. `error` is a readable sentence.
 */
export interface ProblemBody {
  error: string;
  code: string;
  field?: string;
}

export function problemOf(error: AppError): { status: number; body: ProblemBody } {
  return { status: error.httpStatus, body: { error: error.message, code: error.code, ...(error.field ? { field: error.field } : {}) } };
}

/** A zod failure on request input as the VALIDATION AppError ("from: must be on or before 9999-12-31"). */
export const invalidInput = (error: ZodError) =>
  new AppError("VALIDATION", issuesText(error), { field: error.issues[0]?.path.join(".") || undefined });

/** Any thrown value as a problem: AppErrors as mapped, anything else logged and answered 500 without details. */
export function problemFromThrown(thrown: unknown, context: Record<string, unknown> = {}): { status: number; body: ProblemBody } {
  const app = findAppError(thrown);
  if (app) return problemOf(app);
  const requestId = randomUUID();
  logger.error({ err: thrown, requestId, ...context }, "request failed");
  return problemOf(new AppError("INTERNAL", `Internal error (request ${requestId})`));
}

export const problemResponse = ({ status, body }: { status: number; body: ProblemBody }) =>
  Response.json(body, { status, headers: { "cache-control": "no-store" } });
