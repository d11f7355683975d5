import { randomUUID } from "node:crypto";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { callerFromSession, requireTenantRole, requireTier, type Tier } from "../auth/caller";
import type { AppSession, TenantRole } from "../auth/types";
import { db as defaultDb, type Db } from "../db/client";
import { awaitOwnWrites } from "../db/read-model";
import { APP_ERRORS, AppError, findAppError } from "../errors";
import { logger } from "../observability/logger";
import { trpcDuration, trpcRequests } from "../observability/metrics";
import { derivedOnce, isSharedOutput } from "../shared-output";
import { unstorablePath } from "../contracts/ranges";

export interface ContextInput {
  session: AppSession | null;
  headers?: Headers;
  db?: Db;
  requestId?: string;
}

/** The context without HTTP: used by route handlers, server components and tests alike. */
export function createContextInner(input: ContextInput) {
  return {
    db: input.db ?? defaultDb(),
    session: input.session,
    caller: input.session ? callerFromSession(input.session) : null,
    headers: input.headers ?? new Headers(),
    requestId: input.requestId ?? randomUUID(),
  };
}
export type Context = ReturnType<typeof createContextInner>;

function validationMessage(error: ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join(".") : "input"}: ${issue.message}`).join("; ");
}

/** superjson, with shared cached answers (server/shared-output.ts) walked once instead of on every request. */
const transformer = {
  serialize: (value: unknown) =>
    isSharedOutput(value) ? derivedOnce(value, "superjson", () => superjson.serialize(value)) : superjson.serialize(value),
  deserialize: (value: unknown) => superjson.deserialize(value as Parameters<typeof superjson.deserialize>[0]),
};

const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? error.cause : undefined;
    const app = findAppError(error);
    return {
      ...shape,
      message: zod ? validationMessage(zod) : shape.message,
      data: {
        ...shape.data,
        stack: undefined,
        appCode: zod ? "VALIDATION" : (app?.code ?? (error.code === "INTERNAL_SERVER_ERROR" ? "INTERNAL" : error.code)),
        field: app?.field ?? zod?.issues[0]?.path.join("."),
        fieldErrors: zod ? z.flattenError(zod).fieldErrors : undefined,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

/** Maps domain errors (the one table in server/errors.ts), logs the unexpected, counts every call. */
const observed = t.middleware(async ({ path, type, next, ctx }) => {
  const stop = trpcDuration.startTimer({ path, type });
  const result = await next();
  stop();
  if (result.ok) {
    trpcRequests.inc({ path, type, code: "OK" });
    return result;
  }
  const app = findAppError(result.error);
  const code = app ? APP_ERRORS[app.code].trpc : result.error.code;
  trpcRequests.inc({ path, type, code });
  if (app) throw new TRPCError({ code, message: app.message, cause: app });
  if (result.error.cause instanceof ZodError) {
    // Readable for in-process callers too (the formatter only shapes HTTP answers).
    throw new TRPCError({ code: "BAD_REQUEST", message: validationMessage(result.error.cause), cause: result.error.cause });
  }
  if (code === "INTERNAL_SERVER_ERROR") {
    logger.error({ err: result.error.cause ?? result.error, path, requestId: ctx.requestId }, "procedure failed");
    throw new TRPCError({ code, message: `Internal error (request ${ctx.requestId})`, cause: result.error });
  }
  return result;
});

/** Read-your-writes: a mutation's answer leaves once this process's caches have heard its write. */
const readYourWrites = t.middleware(async ({ type, next, ctx }) => {
  const result = await next();
  if (result.ok && type === "mutation") await awaitOwnWrites(ctx.db);
  return result;
});

const storableInput = t.middleware(async ({ getRawInput, next }) => {
  const path = unstorablePath(await getRawInput());
  if (path) {
    const field = path.join(".") || "input";
    throw new AppError("VALIDATION", `${field}: text must not contain NUL characters or invalid Unicode`, { field });
  }
  return next();
});

export const publicProcedure = t.procedure.use(observed).use(readYourWrites).use(storableInput);

/**
 * Procedure tiers, each a tier of the one authorization module
 * (server/auth/caller.ts: requireTier); the AppError it throws is mapped by
 * `observed` like any other. Tenant-scoped procedures add requireTenantRole.
 */
const tier = (name: Tier) =>
  publicProcedure.use(({ ctx, next }) => {
    requireTier(ctx.caller, name);
    return next({ ctx: { ...ctx, caller: ctx.caller, session: ctx.session! } });
  });

export const authedProcedure = tier("authed");
export const supportProcedure = tier("support");
export const adminProcedure = tier("admin");

/** Procedures whose input names a tenant: the caller needs at least `minRole` there. */
export const tenantProcedure = (minRole: TenantRole) =>
  authedProcedure.input(z.object({ tenantId: z.string().min(1).max(64) })).use(({ ctx, input, next }) => {
    requireTenantRole(ctx.caller, input.tenantId, minRole);
    return next();
  });
