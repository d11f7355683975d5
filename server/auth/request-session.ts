import { getToken, type JWT } from "next-auth/jwt";
import type { Db } from "../db/client";
import { appEnv, authSecret } from "../env";
import { API_TOKEN_PREFIX, sessionFromApiToken } from "../services/api-tokens";
import { browserSessionActive } from "./browser-sessions";
import { requestSessionUser } from "./session-user";
import type { AppSession } from "./types";

/** `a=1; b=2` → { a: "1", b: "2" } (the first of repeated names wins, as browsers send the most specific first). */
function parseCookies(header: string | null | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  if (!header) return cookies;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in cookies) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      cookies[name] = decodeURIComponent(raw);
    } catch {
      cookies[name] = raw;
    }
  }
  return cookies;
}

const decoded = new Map<string, Promise<JWT | null>>();
const DECODED_MAX = 10_000;

/**
 * The next-auth JWT in a Cookie header, decrypted with the app's secret. A
 * token's content never changes, so each distinct cookie is decrypted once
 * (bounded; expiry is checked by the caller on every use).
 */
function decodedSessionCookie(cookie: string): Promise<JWT | null> {
  let token = decoded.get(cookie);
  if (!token) {
    if (decoded.size >= DECODED_MAX) decoded.clear();
    // Only the cookie: getToken would also try an Authorization header as a JWT.
    const req = { cookies: parseCookies(cookie), headers: {} } as unknown as Parameters<typeof getToken>[0]["req"];
    token = getToken({ req, secret: authSecret(), secureCookie: appEnv().STATEHOUSE_ENV === "production" });
    decoded.set(cookie, token);
  }
  return token;
}

/**
 * A request's session from its headers: a personal API token (`Bearer sht_…`)
 * or the browser's next-auth session cookie (the JWT, decoded with the app's
 * secret, its BrowserSession still live; the user, role and memberships re-read
 * from the database, so a disabled user or a revoked session drops out at once). The tRPC route handler and the web server's
 * own tRPC path both call this, so both see the same session.
 */
export async function sessionFromHeaders(db: Db, headers: Headers): Promise<AppSession | null> {
  const authorization = headers.get("authorization") ?? "";
  if (authorization.startsWith(`Bearer ${API_TOKEN_PREFIX}_`)) return sessionFromApiToken(db, authorization.slice(7).trim());
  const cookie = headers.get("cookie");
  if (!cookie) return null;
  const token = await decodedSessionCookie(cookie);
  if (!token?.sub || (typeof token.exp === "number" && token.exp * 1000 <= Date.now())) return null;
  // A signed-out (revoked) session's cookie decodes fine: the row says it has ended.
  if (!(await browserSessionActive(db, token.sid, token.sub))) return null;
  const user = await requestSessionUser(db, token.sub);
  if (!user) return null;
  return { user, expires: typeof token.exp === "number" ? new Date(token.exp * 1000).toISOString() : "" };
}
