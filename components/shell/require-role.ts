import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getSession } from "@/server/auth/session";
import type { AppSession } from "@/server/auth/types";
import { canAccess, type NavHref } from "./nav-items";

/** One session read per request, shared by the dashboard layout and its page. */
export const currentSession = cache(getSession);

export async function requireSession(): Promise<AppSession> {
  const session = await currentSession();
  if (!session) redirect("/sign-in");
  return session;
}

export type PageAccess = { session: AppSession; allowed: boolean };

/**
 * The one page gate: signed-out callers go to /sign-in; signed-in callers whose role
 * lacks the page's nav item get `allowed: false`, and the page renders <ForbiddenState/>
 * (a clear message rather than a 404, and no data is prefetched for them).
 */
export async function requirePageAccess(href: NavHref): Promise<PageAccess> {
  const session = await requireSession();
  return { session, allowed: canAccess(session.user.platformRole, href) };
}
