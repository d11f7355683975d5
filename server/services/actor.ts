import type { UserCaller } from "../auth/caller";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/client";
import { AppError } from "../errors";
import type { AuditInput } from "./audit";

/** What every use case gets from a request: the database, who calls, and the request id for the audit trail. */
export interface ServiceCtx {
  db: Db;
  caller: UserCaller;
  requestId: string;
}

/** The actor fields of an audit event for a signed-in user's request. */
export function userActor(ctx: ServiceCtx): Pick<AuditInput, "actorType" | "actorId" | "actorLabel" | "requestId"> {
  return { actorType: "user", actorId: ctx.caller.userId, actorLabel: ctx.caller.email, requestId: ctx.requestId };
}

/** The actor fields of an audit event written by a controller instance (its passes and its job workers). */
export function controllerActor(id: string): Pick<AuditInput, "actorType" | "actorId" | "actorLabel"> {
  return { actorType: "controller", actorId: id, actorLabel: `controller ${id}` };
}

/** Transactions that queue behind row locks (quota counters, the audit chain) may wait a while under load. */
export const TX_OPTIONS = { maxWait: 20_000, timeout: 30_000 } as const;

/** Turns a unique-constraint race into a CONFLICT on the named field. */
export function conflictOnUnique(error: unknown, field: string, message: string): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new AppError("CONFLICT", message, { field, cause: error });
  }
  throw error;
}
