import { appEnv } from "../env";
import { AppError } from "../errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

interface HeaderSource {
  get(name: string): string | null;
}

/** The hosts this app answers as: the request's own Host (or the proxy's X-Forwarded-Host) and NEXTAUTH_URL's. */
function ownHosts(headers: HeaderSource): string[] {
  const hosts = [headers.get("x-forwarded-host")?.split(",")[0]?.trim(), headers.get("host")?.trim()];
  const configured = appEnv().NEXTAUTH_URL;
  if (configured) hosts.push(new URL(configured).host);
  return hosts.filter((h): h is string => !!h).map((h) => h.toLowerCase());
}

/**
 * The same-origin rule for state-changing requests (CSRF): a browser's cookie
 * goes with any request to this site, so a write that carries it must come
 * from this site. Browsers say where a request comes from (Sec-Fetch-Site, and
 * Origin on every POST); a request with a foreign or opaque origin is refused.
 * Exempt: safe methods, and requests that carry their own credential in
 * `Authorization: Bearer` (API tokens, host credentials: a browser never adds
 * one by itself). A non-browser client that sends neither header is not a
 * CSRF vector and passes.
 */
export function crossSiteRefusal(method: string | undefined, headers: HeaderSource): AppError | null {
  if (SAFE_METHODS.has((method ?? "GET").toUpperCase())) return null;
  if ((headers.get("authorization") ?? "").startsWith("Bearer ")) return null;
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return refusal(`Sec-Fetch-Site: ${site}`);
  const origin = headers.get("origin");
  if (origin === null) return null;
  let host: string;
  try {
    host = new URL(origin).host.toLowerCase();
  } catch {
    return refusal(`Origin: ${origin.slice(0, 100)}`);
  }
  return host && ownHosts(headers).includes(host) ? null : refusal(`Origin: ${origin.slice(0, 100)}`);
}

const refusal = (seen: string) =>
  new AppError("FORBIDDEN", `Cross-site request refused (${seen}): changes are accepted only from this site's own pages`, {
    field: "origin",
  });
