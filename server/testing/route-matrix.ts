/**
 * Every HTTP endpoint outside tRPC, classified: the Next.js route handlers
 * (enumerated from app/api on disk, so a new route.ts fails the matrix until it
 * is listed here) and the agent API's routes (enumerated from AGENT_ROUTES).
 * Shared by the authorization matrix and the route fuzz suite.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { AGENT_ROUTES } from "../agent-api/http-server";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export const METHODS: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/**
 * Who may call: a tier of server/auth/caller.ts (public, support, ...), or an
 * endpoint with its own credential: the host credential (heartbeat), a join or
 * environment token (join), tRPC (per procedure: MATRIX), next-auth (its CSRF token).
 */
export type RouteAccess = "public" | "authed" | "support" | "admin" | "host credential" | "join token" | "trpc" | "next-auth";

export interface RouteEntry {
  methods: Partial<Record<Method, RouteAccess>>;
  /** Query parameters and a valid value for each (what the fuzzer breaks). */
  query?: Record<string, string>;
}

export const ROUTES: Record<string, RouteEntry> = {
  "/api/agent/heartbeat": { methods: { POST: "host credential" } },
  "/api/agent/join": { methods: { POST: "join token" } },
  "/api/audit/export": {
    methods: { GET: "support" },
    query: {
      actor: "admin",
      tenantId: "t",
      action: "tenant.create",
      targetType: "tenant",
      targetId: "t",
      from: "2026-01-01",
      to: "2026-12-31",
    },
  },
  "/api/auth/[...nextauth]": { methods: { GET: "next-auth", POST: "next-auth" } },
  "/api/health": { methods: { GET: "public" } },
  "/api/metrics": { methods: { GET: "public" } },
  "/api/placement/export": {
    methods: { GET: "support" },
    query: {
      format: "json",
      tenant: "acme",
      env: "acme-prod",
      server: "s",
      host: "h",
      zone: "z",
      stage: "production",
      at: "2026-01-01T00:00:00Z",
    },
  },
  "/api/placement/map": { methods: { GET: "support" }, query: { asOf: "2026-01-01T00:00:00Z" } },
  "/api/trpc/[trpc]": { methods: { GET: "trpc", POST: "trpc" } },
};

/** The agent API process's endpoints (server/agent-api/http-server.ts), all POST with their own credential. */
export const AGENT_ENDPOINTS: Record<string, RouteAccess> = {
  "/api/agent/join": "join token",
  "/api/agent/heartbeat": "host credential",
};

const APP_API = path.resolve(import.meta.dirname, "../../app/api");

/** Every route.ts under app/api as its URL path ("/api/placement/map"), dynamic segments as written. */
export function routeFiles(dir = APP_API, prefix = "/api"): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) found.push(...routeFiles(path.join(dir, entry.name), `${prefix}/${entry.name}`));
    else if (entry.name === "route.ts") found.push(prefix);
  }
  return found.sort();
}

/** The methods a route module exports (GET, POST, ...). */
export async function routeMethods(route: string): Promise<Method[]> {
  const mod = (await routeModule(route)) as Record<string, unknown>;
  return METHODS.filter((m) => typeof mod[m] === "function");
}

export async function routeModule(route: string): Promise<Partial<Record<Method, (request: Request) => Promise<Response>>>> {
  return (await import(/* @vite-ignore */ path.join(APP_API, route.slice("/api".length), "route.ts"))) as Partial<
    Record<Method, (request: Request) => Promise<Response>>
  >;
}

export const agentRoutePaths = () => Object.keys(AGENT_ROUTES).sort();
