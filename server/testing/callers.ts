import { TRPCError } from "@trpc/server";
import { expect } from "vitest";
import { createCaller } from "../api/root";
import { createContextInner } from "../api/trpc";
import { loadSessionUser } from "../auth/session-user";
import type { AppSession } from "../auth/types";
import type { Db } from "../db/client";

/** A real session for a seeded user, as next-auth's session callback builds it. */
export async function sessionFor(db: Db, email: string, expires = new Date(Date.now() + 3_600_000)): Promise<AppSession> {
  const row = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
  const user = await loadSessionUser(db, row.id);
  if (!user) throw new Error(`${email} cannot have a session`);
  return { user, expires: expires.toISOString() };
}

/** The app router called in-process with the context a request by this user would get. */
export async function callerAs(db: Db, email: string | null, headers?: Headers) {
  const session = email ? await sessionFor(db, email) : null;
  return createCaller(createContextInner({ session, db, headers }));
}

/** The TRPCError a call fails with; the test fails if the call succeeds or throws something else. */
export async function failure(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}
