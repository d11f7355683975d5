import { hashSecret, newSecret } from "../../auth/password";
import type { Db, Tx } from "../../db/client";
import { AppError } from "../../errors";
import { recordAudit } from "../audit";
import { DEFAULT_MEMBER_PORTS, type JoinRequest, type JoinResponse } from "../../contracts/agent";
import { HEARTBEAT_INTERVAL_MS } from "./settings";

export interface AuthenticatedHost {
  id: string;
  name: string;
  state: string;
}

/** The host a credential belongs to; unknown or revoked credentials are UNAUTHENTICATED. */
export async function authenticateHost(db: Db, credential: string): Promise<AuthenticatedHost> {
  const host = credential
    ? await db.host.findUnique({
        where: { credentialHash: hashSecret(credential) },
        select: { id: true, name: true, state: true, credentialRevokedAt: true },
      })
    : null;
  if (!host || host.credentialRevokedAt) throw new AppError("UNAUTHENTICATED", "Unknown or revoked host credential");
  return { id: host.id, name: host.name, state: host.state };
}

/** A token's row, or the host a retried join already made with it (same token, same install key). */
type Consumed = { row: { id: string; zoneId: string; failureDomain: string | null; environmentId: string | null }; rejoinHostId?: string };

async function consumeToken(tx: Tx, token: string, now: Date, installKeyHash: string | null): Promise<Consumed> {
  const row = await tx.hostJoinToken.findUnique({ where: { tokenHash: hashSecret(token) } });
  if (!row || row.expiresAt <= now) throw new AppError("UNAUTHENTICATED", "Unknown or expired join token");
  // The join this agent retries already went through (its answer was lost): the same agent, the same host.
  if (row.usedAt && row.hostId && installKeyHash && row.installKeyHash === installKeyHash) return { row, rejoinHostId: row.hostId };
  // One-time: the conditional update makes a replay (or a race) lose.
  const used = await tx.hostJoinToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now, installKeyHash } });
  if (used.count !== 1) throw new AppError("UNAUTHENTICATED", "Join token already used");
  return { row };
}

/**
 * A join retried by the agent that made it: the same host with a fresh
 * credential (the previous one, which the agent never received, stops
 * working). A host whose credential was revoked stays revoked.
 */
async function rejoinHost(tx: Tx, hostId: string, input: JoinRequest): Promise<JoinResponse> {
  const host = await tx.host.findUnique({ where: { id: hostId }, select: { id: true, name: true, credentialRevokedAt: true } });
  if (!host || host.credentialRevokedAt || host.name !== input.name) throw new AppError("UNAUTHENTICATED", "Join token already used");
  const credential = newSecret("host");
  await tx.host.update({ where: { id: host.id }, data: { credentialHash: hashSecret(credential) } });
  await recordAudit(tx, {
    actorType: "agent",
    actorId: host.id,
    actorLabel: `agent ${host.name}`,
    action: "host.rejoin",
    targetType: "host",
    targetId: host.id,
    reason: "join retried by the same agent (same token and install key): new credential, the previous one no longer works",
  });
  return { hostId: host.id, credential, heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS };
}

/**
 * Exchanges one-time join token(s) for a host credential; the host is created
 * ready. Idempotent for the agent that joined: the same token(s) with the same
 * install key answer the same host (see rejoinHost); anyone else gets "used".
 */
export async function joinHost(db: Db, input: JoinRequest): Promise<JoinResponse> {
  const now = new Date();
  const installKeyHash = input.installKey ? hashSecret(input.installKey) : null;
  return db.$transaction(async (tx) => {
    const consumed: Consumed[] = [];
    if (input.joinToken) consumed.push(await consumeToken(tx, input.joinToken, now, installKeyHash));
    if (input.environmentToken) consumed.push(await consumeToken(tx, input.environmentToken, now, installKeyHash));
    const rejoins = new Set(consumed.map((c) => c.rejoinHostId));
    if (rejoins.size !== 1) throw new AppError("UNAUTHENTICATED", "Join token already used");
    const [rejoinHostId] = rejoins;
    if (rejoinHostId) return rejoinHost(tx, rejoinHostId, input);
    const tokens = consumed.map((c) => c.row);
    const zoneIds = new Set(tokens.map((t) => t.zoneId));
    if (zoneIds.size !== 1) throw new AppError("VALIDATION", "The tokens name different security zones", { field: "zone" });
    const zone = await tx.securityZone.findUniqueOrThrow({ where: { id: tokens[0]!.zoneId }, select: { id: true, name: true } });
    if (input.zone && input.zone !== zone.name && input.zone !== zone.id) {
      throw new AppError("VALIDATION", `zone: the token is for zone ${zone.name}`, { field: "zone" });
    }
    const domain = tokens.find((t) => t.failureDomain)?.failureDomain;
    if (domain && domain !== input.failureDomain) {
      throw new AppError("VALIDATION", `failureDomain: the token is for ${domain}`, { field: "failureDomain" });
    }
    const environmentId = tokens.find((t) => t.environmentId)?.environmentId ?? null;
    if (await tx.host.findUnique({ where: { name: input.name }, select: { id: true } })) {
      throw new AppError("CONFLICT", `A host named ${input.name} already exists`, { field: "name" });
    }
    const credential = newSecret("host");
    const host = await tx.host.create({
      data: {
        name: input.name,
        zoneId: zone.id,
        failureDomain: input.failureDomain,
        cpuMillis: input.cpuMillis,
        memoryMiB: input.memoryMiB,
        maxReplicas: input.maxReplicas ?? 16,
        address: input.address ?? "127.0.0.1",
        portFrom: input.portFrom ?? DEFAULT_MEMBER_PORTS.from,
        portTo: input.portTo ?? DEFAULT_MEMBER_PORTS.to,
        environmentId,
        credentialHash: hashSecret(credential),
        lastHeartbeatAt: now,
      },
      select: { id: true },
    });
    await tx.hostJoinToken.update({ where: { id: tokens[0]!.id }, data: { hostId: host.id } });
    await recordAudit(tx, {
      actorType: "agent",
      actorId: host.id,
      actorLabel: `agent ${input.name}`,
      action: "host.join",
      targetType: "host",
      targetId: host.id,
      after: {
        name: input.name,
        zone: zone.name,
        failureDomain: input.failureDomain,
        environmentId,
        cpuMillis: input.cpuMillis,
        memoryMiB: input.memoryMiB,
      },
    });
    return { hostId: host.id, credential, heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS };
  });
}

/** Records a rejected agent request (bad credential, malformed payload, foreign report) in the audit log. */
export async function auditRejection(
  db: Db,
  event: { hostId?: string; label: string; action: string; reason: string; requestId?: string },
) {
  await db.$transaction((tx) =>
    recordAudit(tx, {
      actorType: "agent",
      actorId: event.hostId ?? null,
      actorLabel: event.label,
      action: event.action,
      targetType: "host",
      targetId: event.hostId ?? null,
      reason: event.reason.slice(0, 500),
      requestId: event.requestId ?? null,
    }),
  );
}
