import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "../db/client";
import { appEnv, authSecret } from "../env";
import { findAppError } from "../errors";
import { logger } from "../observability/logger";
import { browserSessionActive, createBrowserSession, revokeBrowserSession } from "./browser-sessions";
import { authenticate } from "./credentials";
import { loadSessionUser } from "./session-user";

function clientAddress(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  return typeof forwarded === "string" ? (forwarded.split(",")[0]?.trim() ?? "unknown") : "local";
}

/** next-auth with credentials and JWT sessions; the session is re-read from the database. */
export function authOptions(): NextAuthOptions {
  const env = appEnv();
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: env.SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    // next-auth's own messages go to the structured log (an expired or forged
    // session token is routine, not a stack trace).
    logger: {
      error: (code, metadata) =>
        logger.warn({ event: "next_auth", code, detail: (metadata as { message?: string })?.message }, `next-auth: ${code}`),
      warn: (code) => logger.warn({ event: "next_auth", code }, `next-auth: ${code}`),
      debug: () => undefined,
    },
    useSecureCookies: env.STATEHOUSE_ENV === "production",
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw, req) {
          try {
            return await authenticate(db(), raw, clientAddress(req?.headers), Date.now());
          } catch (error) {
            // next-auth hands the message to the client as `error`: the sign-in page reads it.
            if (findAppError(error)?.code === "RATE_LIMITED") throw new Error("RateLimited");
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        // At sign-in: a BrowserSession row the cookie names from now on (server/auth/browser-sessions.ts).
        if (user) {
          token.sub = user.id;
          token.sid = await createBrowserSession(db(), user.id, env.SESSION_MAX_AGE_SECONDS);
        }
        return token;
      },
      async session({ session, token }) {
        const live = token.sub ? await browserSessionActive(db(), token.sid, token.sub) : false;
        const user = live && token.sub ? await loadSessionUser(db(), token.sub) : null;
        // A revoked session, or a deleted or disabled user's token, no longer yields a user.
        return { ...session, user: user ?? undefined } as typeof session;
      },
    },
    events: {
      // Sign-out ends the session on the server, not only the cookie in this browser.
      async signOut({ token }) {
        if (typeof token?.sid === "string") await revokeBrowserSession(db(), token.sid);
      },
    },
  };
}
