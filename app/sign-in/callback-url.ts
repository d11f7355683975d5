export const DEFAULT_AFTER_SIGN_IN = "/environments";

/**
 * Where to go after signing in. Only same-origin paths are honoured (no open redirect),
 * and never the sign-in page itself. next-auth may hand us an absolute URL, so both
 * "/x" and "http://this-origin/x" are accepted.
 */
export function safeCallbackUrl(raw: string | null | undefined, origin: string): string {
  if (!raw) return DEFAULT_AFTER_SIGN_IN;
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
  if (url.origin !== origin || url.pathname.startsWith("/sign-in") || url.pathname.startsWith("/api/")) {
    return DEFAULT_AFTER_SIGN_IN;
  }
  return `${url.pathname}${url.search}${url.hash}`;
}
