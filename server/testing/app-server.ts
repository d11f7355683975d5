/**
 * The app over real HTTP for tests, without a Next.js build: the web server's
 * own handler (server/web/handler.ts: tRPC, the map, health) and next-auth's
 * own Node handler (with the app's authOptions) on /api/auth/*. Sign-in, the session cookie and
 * sign-out are next-auth's; what the app adds (the BrowserSession row, its
 * revocation) runs as in production.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import NextAuth from "next-auth";
import { authOptions } from "../auth/options";
import type { Db } from "../db/client";
import { createWebHandler } from "../web/handler";

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
}

/** /api/auth/* through next-auth's own Node (pages API) handler: req.query, req.body, req.cookies; res.status/send/json. */
async function nextAuth(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? "/", "http://app");
  const segments = url.pathname.slice("/api/auth/".length).split("/").filter(Boolean);
  const apiReq = Object.assign(req, {
    query: { ...Object.fromEntries(url.searchParams), nextauth: segments },
    body: req.method === "POST" ? await readForm(req) : {},
    cookies: parseCookies(req.headers.cookie),
  });
  const apiRes = Object.assign(res, {
    status(code: number) {
      res.statusCode = code;
      return apiRes;
    },
    send(body: unknown) {
      res.end(typeof body === "string" ? body : JSON.stringify(body ?? null));
    },
    json(body: unknown) {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(body));
    },
  });
  await (NextAuth as unknown as (q: unknown, r: unknown, o: unknown) => Promise<void>)(apiReq, apiRes, authOptions());
}

export interface AppServer {
  url: string;
  close(): Promise<void>;
}

export async function serveApp(db: Db): Promise<AppServer> {
  // next-auth and the route handlers use the app's one client: this test's database.
  (globalThis as unknown as { statehousePrisma?: Db }).statehousePrisma = db;
  const web = createWebHandler({ db, metrics: async () => ({ contentType: "text/plain", body: "" }), next: nextAuth });
  const server = createServer((req, res) => void web(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Signs in through next-auth's credentials flow over HTTP; returns the session cookie ("name=value"). */
export async function signIn(app: AppServer, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${app.url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const answer = await fetch(`${app.url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ email, password, csrfToken, json: "true" }),
  });
  const session = answer.headers.getSetCookie().find((c) => c.includes("session-token="));
  if (!session) throw new Error(`sign-in as ${email} failed: ${answer.status}`);
  return `${session.split(";")[0]}; ${csrfCookie}`;
}

/** Signs out through next-auth over HTTP with the given cookies. */
export async function signOut(app: AppServer, cookie: string): Promise<number> {
  const { csrfToken } = (await (await fetch(`${app.url}/api/auth/csrf`, { headers: { cookie } })).json()) as { csrfToken: string };
  const answer = await fetch(`${app.url}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ csrfToken, json: "true" }),
  });
  return answer.status;
}
