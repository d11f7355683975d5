import "server-only";
import { getServerSession } from "next-auth";
import { authOptions } from "./options";
import type { AppSession } from "./types";

/** The signed-in user's session in a server component or route handler, or null. */
export async function getSession(): Promise<AppSession | null> {
  const session = (await getServerSession(authOptions())) as Partial<AppSession> | null;
  if (!session?.user?.id || !session.expires) return null;
  return session as AppSession;
}
