import "server-only";
import { getServerSession } from "next-auth";
import { authOptions } from "./options";
import type { AppSession } from "./types";

/** The signed-in user's session in a server component or route handler, or null. */
export async function getSession(): Promise<AppSession | null> {
  // In server components and route handlers next-auth drops `expires` from the
  // session; expiry is enforced by the JWT itself (SESSION_MAX_AGE_SECONDS).
  const session = (await getServerSession(authOptions())) as Partial<AppSession> | null;
  if (!session?.user?.id) return null;
  return { user: session.user, expires: session.expires ?? "" };
}
