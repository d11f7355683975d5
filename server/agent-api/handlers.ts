import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { z } from "zod";
import type { Db } from "../db/client";
import { AppError, findAppError } from "../errors";
import { logger } from "../observability/logger";
import { ZHeartbeat, ZJoinRequest } from "../contracts/agent";
import { hostCredentialHash } from "../auth/caller";
import { AGENT_BODY_LIMIT, bodyTooLarge, declaredTooLarge } from "../http/body-limit";
import { auditRejection, joinHost, type AuthenticatedHost } from "../services/runtime/agent-service";
import { loadHostSnapshot, quickHeartbeat, recordHeartbeat, steadyHeartbeat, steadyHost } from "../services/runtime/heartbeat";
import { RateLimiter } from "../services/runtime/rate-limit";
import { RejectionAudit, type Rejection } from "../services/runtime/rejection-audit";

/**
 * The agent protocol as plain handlers: `joinAnswer` / `heartbeatAnswer` read an
 * AgentRequest (a WHATWG Request is one) and return status + JSON body. The
 * fetch-style `handleJoin` / `handleHeartbeat` (Request -> Response) wrap them
 * for the Next.js route handlers under app/api/agent/; the agent API process
 * (server/agent-api, http-server.ts) calls the answers directly from node:http,
 * so both serve one code path for validation and semantics.
 */
const hostLimiter = new RateLimiter(10, 20);
const joinLimiter = new RateLimiter(5, 20);
/** Larger bodies are refused (413) by every entry point, before they are read when the length is declared. */
export const MAX_BODY = AGENT_BODY_LIMIT;
const rejections = new RejectionAudit();
let flushTimer: NodeJS.Timeout | undefined;

function writeRejections(db: Db, events: Rejection[]) {
  return Promise.all(
    events.map((e) => auditRejection(db, e).catch((err: unknown) => logger.warn({ err }, "could not audit a rejected agent request"))),
  );
}

/** Rejections are audited through RejectionAudit (no flood); a timer writes the summaries of floods that stopped. */
function auditRejected(db: Db, source: string, rejection: Rejection) {
  flushTimer ??= setInterval(() => void writeRejections(db, rejections.flush(Date.now())), 10_000).unref();
  return writeRejections(db, rejections.admit(source, rejection, Date.now()));
}

/** What the handlers read from a request: a WHATWG Request has it; the bare server passes a lighter object. */
export interface AgentRequest {
  headers: { get(name: string): string | null };
  /** The body, read once. */
  text(): Promise<string>;
}

/** A handler's answer: HTTP status and the JSON body. */
export interface AgentAnswer {
  status: number;
  body: unknown;
}

function errorAnswer(error: AppError, requestId: string): AgentAnswer {
  return { status: error.httpStatus, body: { error: { code: error.code, message: error.message, requestId } } };
}

const toResponse = (answer: AgentAnswer): Response => Response.json(answer.body, { status: answer.status });

function parseJson<T>(text: string, schema: z.ZodType<T>): T {
  if (Buffer.byteLength(text) > MAX_BODY) throw bodyTooLarge(MAX_BODY);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError("VALIDATION", "payload is not JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("VALIDATION", `${issue?.path.join(".") || "payload"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

const readJson = async <T>(request: AgentRequest, schema: z.ZodType<T>): Promise<T> => parseJson(await request.text(), schema);

async function handle(
  db: Db,
  action: string,
  request: AgentRequest,
  work: (requestId: string, setHost: (h: AuthenticatedHost) => void) => Promise<unknown>,
): Promise<AgentAnswer> {
  const requestId = randomUUID();
  let host: AuthenticatedHost | undefined;
  try {
    if (declaredTooLarge(request.headers.get("content-length"), MAX_BODY)) throw bodyTooLarge(MAX_BODY);
    return { status: 200, body: await work(requestId, (h) => (host = h)) };
  } catch (error) {
    const app = findAppError(error);
    if (!app) {
      logger.error({ err: error, action, requestId }, "agent request failed");
      return errorAnswer(new AppError("UNAVAILABLE", "Temporarily unavailable, retry"), requestId);
    }
    if (app.code !== "RATE_LIMITED") {
      const address = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown address";
      await auditRejected(db, `${action}|${host ? `host:${host.id}` : `addr:${address}`}`, {
        hostId: host?.id,
        label: host ? `agent ${host.name}` : `agent at ${address}`,
        action: `${action}.rejected`,
        reason: `${app.code}: ${app.message}`,
        requestId,
      });
    }
    return errorAnswer(app, requestId);
  }
}

export function joinAnswer(db: Db, request: AgentRequest): Promise<AgentAnswer> {
  return handle(db, "host.join", request, async () => {
    if (!joinLimiter.take(request.headers.get("x-forwarded-for") ?? "local")) throw new AppError("RATE_LIMITED", "Too many join attempts");
    return joinHost(db, await readJson(request, ZJoinRequest));
  });
}

/**
 * `hot`: a plain pg pool for the heartbeat (the app passes one; Prisma otherwise).
 * Steady state (nothing changed since this instance last answered the host): one
 * UPDATE ... RETURNING. Otherwise one snapshot read, then either one UPDATE or
 * the full path that records the changes.
 */
export function heartbeatAnswer(db: Db, request: AgentRequest, hot?: pg.Pool): Promise<AgentAnswer> {
  return handle(db, "host.heartbeat", request, async (_id, setHost) => {
    const credentialHash = hostCredentialHash(request.headers.get("authorization"));
    const known = steadyHost(credentialHash);
    if (known) {
      setHost(known);
      if (!hostLimiter.take(known.id)) throw new AppError("RATE_LIMITED", "Too many requests from this host");
    }
    const text = await request.text();
    const steadyBeat = known ? parseJson(text, ZHeartbeat) : undefined;
    if (steadyBeat) {
      const answer = await steadyHeartbeat(hot ?? db, credentialHash, steadyBeat);
      if (answer) return answer;
    }
    const host = await loadHostSnapshot(hot ?? db, credentialHash);
    if (!host) throw new AppError("UNAUTHENTICATED", "Unknown or revoked host credential");
    setHost(host);
    if (!known && !hostLimiter.take(host.id)) throw new AppError("RATE_LIMITED", "Too many requests from this host");
    const beat = steadyBeat ?? parseJson(text, ZHeartbeat);
    return (await quickHeartbeat(hot ?? db, host, beat, credentialHash)) ?? recordHeartbeat(db, host, beat);
  });
}

/** POST /api/agent/join as a fetch-style handler (the Next.js route). */
export async function handleJoin(db: Db, request: Request): Promise<Response> {
  return toResponse(await joinAnswer(db, request));
}

/** POST /api/agent/heartbeat as a fetch-style handler (the Next.js route); `hot` as for heartbeatAnswer. */
export async function handleHeartbeat(db: Db, request: Request, hot?: pg.Pool): Promise<Response> {
  return toResponse(await heartbeatAnswer(db, request, hot));
}
