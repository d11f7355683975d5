/**
 * Domain errors. Services throw AppError with a string code; the code is mapped
 * to tRPC and HTTP in exactly one table (below) and the UI turns it into text.
 * Services never throw TRPCError.
 */
export const APP_ERRORS = {
  VALIDATION: { trpc: "BAD_REQUEST", http: 400 },
  UNAUTHENTICATED: { trpc: "UNAUTHORIZED", http: 401 },
  FORBIDDEN: { trpc: "FORBIDDEN", http: 403 },
  NOT_FOUND: { trpc: "NOT_FOUND", http: 404 },
  CONFLICT: { trpc: "CONFLICT", http: 409 },
  QUOTA_EXCEEDED: { trpc: "FORBIDDEN", http: 403 },
  POLICY_VIOLATION: { trpc: "UNPROCESSABLE_CONTENT", http: 422 },
  PRECONDITION_FAILED: { trpc: "PRECONDITION_FAILED", http: 412 },
  PAYLOAD_TOO_LARGE: { trpc: "PAYLOAD_TOO_LARGE", http: 413 },
  RATE_LIMITED: { trpc: "TOO_MANY_REQUESTS", http: 429 },
  UNAVAILABLE: { trpc: "SERVICE_UNAVAILABLE", http: 503 },
  INTERNAL: { trpc: "INTERNAL_SERVER_ERROR", http: 500 },
} as const;

export type AppErrorCode = keyof typeof APP_ERRORS;
export type TrpcErrorCode = (typeof APP_ERRORS)[AppErrorCode]["trpc"];

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Field or rule the error is about, when there is one (e.g. "name", "min-ha-production"). */
  readonly field?: string;

  constructor(code: AppErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.field = options?.field;
  }

  get httpStatus(): number {
    return APP_ERRORS[this.code].http;
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);
export const forbidden = (message = "You do not have permission to do this") => new AppError("FORBIDDEN", message);

/** Looks through a thrown value for the AppError that caused it, if any. */
export function findAppError(error: unknown): AppError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof AppError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
