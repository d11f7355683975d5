import type { LoadClient, LoadUsers } from "./load-clients";
import { trpcGet } from "./api-settings";

export interface Tally {
  ok: number;
  refused: Record<string, number>;
  errors: Record<string, number>;
  wrong: number;
  firstWrong?: string;
}

/** What each endpoint sends and how an answer is judged (`true`: right; a string: what was wrong). */
export interface Endpoint {
  key: string;
  label: string;
  read: boolean;
  request: (
    client: number,
    n: number,
  ) => { method: "GET" | "POST"; path: string; token: string | null; body?: string; headers?: Record<string, string> };
  check: (client: number, body: unknown, sent: { path: string; body?: string }, headers: Record<string, string>) => true | string;
  /** Another load run at the same time (its answers checked too): e.g. writes that keep dropping the read caches. */
  alongside?: { endpoint: Endpoint; connections: number };
  /** A big binary body: loaded with nativeLoad (bench/lib/native-load.ts) and judged on status, headers and byte count, every answer. */
  bigBody?: boolean;
}

/**
 * The map as GET /api/placement/map serves it right now: its version and gzip
 * length. Every load answer must have that version and about that length
 * (each web worker builds and gzips the map itself, with its own
 * generatedAt, so lengths may differ by a few bytes between workers).
 */
export interface MapFacts {
  etag: string;
  gzipBytes: number;
  /** The same map in tRPC's envelope (placement.map), gzipped. */
  trpcGzipBytes: number;
}

export function endpoints(
  users: LoadUsers,
  runTag: string,
  expected: { hosts: number; replicas: number; environments: number },
  map: MapFacts,
): Endpoint[] {
  let created = 0; // a new name for every creation, across warm-up and measured runs
  const c = (i: number): LoadClient => users.clients[i % users.clients.length]!;
  const data = (body: unknown) => (body as { result: { data: { json: Record<string, unknown> } } }).result.data.json;
  const create: Endpoint = {
    key: "environment.create",
    label: "environment.create (development, HA 1)",
    read: false,
    request: (i) => ({
      method: "POST",
      path: "/api/trpc/environment.create",
      token: c(i).token,
      body: JSON.stringify({
        json: { tenantId: c(i).tenantId, name: `b${runTag}-${i}-${created++}`, stage: "development", haLevel: 1, zoneId: users.zoneId },
      }),
    }),
    check: (i, body, sent) => {
      const d = data(body) as { name: string; tenantId: string; credential: string; status: string };
      const want = (JSON.parse(sent.body!) as { json: { name: string } }).json.name;
      return d.name === want && d.tenantId === c(i).tenantId && d.credential.startsWith("env_") && d.status === "pending"
        ? true
        : "wrong creation";
    },
  };
  const get: Endpoint = {
    key: "environment.get",
    label: "environment.get (detail page)",
    read: true,
    request: (i, n) => {
      const ids = c(i).environmentIds;
      return { method: "GET", path: trpcGet("environment.get", { id: ids[n % ids.length] }), token: c(i).token };
    },
    check: (i, body, sent) => {
      const d = data(body) as { id: string; tenantId: string; replicas: unknown[]; stateServer: unknown };
      if (!sent.path.includes(encodeURIComponent(`"${d.id}"`))) return "another environment";
      return d.tenantId === c(i).tenantId && d.stateServer && d.replicas.length > 0 ? true : "incomplete detail";
    },
  };
  return [
    {
      key: "health",
      label: "GET /api/health (baseline: one SELECT 1)",
      read: true,
      request: () => ({ method: "GET", path: "/api/health", token: null }),
      check: (_, body) => ((body as { status?: string }).status === "ok" ? true : "status not ok"),
    },
    {
      key: "session.me",
      label: "session.me (baseline: token + session load)",
      read: true,
      request: (i) => ({ method: "GET", path: trpcGet("session.me", undefined), token: c(i).token }),
      check: (i, body) => (data(body).email === c(i).email ? true : "another user's session"),
    },
    {
      key: "environment.list",
      label: "environment.list (tenant owner, 20 per page)",
      read: true,
      request: (i) => ({ method: "GET", path: trpcGet("environment.list", { limit: 20 }), token: c(i).token }),
      check: (i, body) => {
        const items = data(body).items as { tenantId: string }[];
        if (items.length !== Math.min(20, c(i).environmentCount)) return `page of ${items.length}`;
        return items.every((e) => e.tenantId === c(i).tenantId) ? true : "another tenant's environment listed";
      },
    },
    {
      key: "environment.list.all",
      label: "environment.list (support: all tenants, 20 per page)",
      read: true,
      request: () => ({ method: "GET", path: trpcGet("environment.list", { limit: 20 }), token: users.support.token }),
      check: (_, body) => ((data(body).items as unknown[]).length === 20 && data(body).nextCursor ? true : "short page"),
    },
    get,
    {
      key: "placement.map.http",
      label: "GET /api/placement/map (support, whole fleet, gzip, as the map page loads it)",
      read: true,
      bigBody: true,
      request: () => ({ method: "GET", path: "/api/placement/map", token: users.support.token, headers: { "accept-encoding": "gzip" } }),
      check: (_, _body, _sent, headers) =>
        headers.etag !== map.etag
          ? `version ${headers.etag}, expected ${map.etag}`
          : headers["content-encoding"] !== "gzip"
            ? "not gzipped"
            : Math.abs(Number(headers["content-length"]) - map.gzipBytes) > 64
              ? `${headers["content-length"]} bytes, expected about ${map.gzipBytes}`
              : true,
    },
    {
      key: "placement.map",
      label: "placement.map via tRPC (API clients; gzip)",
      read: true,
      bigBody: true,
      request: () => ({
        method: "GET",
        path: trpcGet("placement.map", {}),
        token: users.support.token,
        headers: { "accept-encoding": "gzip" },
      }),
      check: (_, _body, _sent, headers) =>
        headers["content-encoding"] !== "gzip"
          ? "not gzipped"
          : Math.abs(Number(headers["content-length"]) - map.trpcGzipBytes) > 64
            ? `${headers["content-length"]} bytes, expected about ${map.trpcGzipBytes}`
            : true,
    },
    // After the map (its version moves with every creation), before the creation run.
    {
      ...get,
      key: "environment.get.churn",
      label: "environment.get while 10 more clients create environments (writes the detail caches must notice)",
      alongside: { endpoint: create, connections: 10 },
    },
    create,
  ];
}
