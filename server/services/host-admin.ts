import type { z } from "zod";
import type { ZHostStateInput, ZRegisterHostInput } from "../contracts/host";
import { requireAdmin } from "../auth/caller";
import { hashSecret, newSecret } from "../auth/password";
import type { HostState } from "../db/generated/client";
import { AppError, notFound } from "../errors";
import { type ServiceCtx, TX_OPTIONS, userActor } from "./actor";
import { recordAudit } from "./audit";
import { requireFleetReader } from "../auth/caller";
import { readFleetSnapshot } from "./fleet-snapshot";
import { planHostDrain } from "./host-drain";

/** Registering a host = a one-time join token for its agent; only the hash is kept, the token is shown once. */
export async function registerHost(ctx: ServiceCtx, input: z.infer<typeof ZRegisterHostInput>) {
  requireAdmin(ctx.caller);
  return ctx.db.$transaction(async (tx) => {
    const zone = await tx.securityZone.findUnique({ where: { id: input.zoneId }, select: { id: true, name: true } });
    if (!zone) throw new AppError("NOT_FOUND", "zoneId: security zone not found", { field: "zoneId" });
    const token = newSecret("join");
    const expiresAt = new Date(Date.now() + input.ttlMinutes * 60_000);
    const row = await tx.hostJoinToken.create({
      data: {
        tokenHash: hashSecret(token),
        zoneId: zone.id,
        failureDomain: input.failureDomain ?? null,
        createdById: ctx.caller.userId,
        expiresAt,
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      ...userActor(ctx),
      action: "host.join_token.create",
      targetType: "host_join_token",
      targetId: row.id,
      after: { zone: zone.name, failureDomain: input.failureDomain ?? null, expiresAt: expiresAt.toISOString() },
    });
    return { id: row.id, token, expiresAt, zoneName: zone.name };
  }, TX_OPTIONS);
}

const TRANSITIONS: Record<z.infer<typeof ZHostStateInput>["action"], { from: HostState[]; to: HostState }> = {
  cordon: { from: ["ready"], to: "cordoned" },
  uncordon: { from: ["cordoned", "draining"], to: "ready" },
};

/** Cordon (no new replicas) and uncordon; draining is `drainHost` (host-drain.ts), which also persists the engine's plan. */
export async function setHostState(ctx: ServiceCtx, input: z.infer<typeof ZHostStateInput>) {
  requireAdmin(ctx.caller);
  const t = TRANSITIONS[input.action];
  return ctx.db.$transaction(async (tx) => {
    const host = await tx.host.findUnique({ where: { id: input.hostId }, select: { id: true, name: true, state: true } });
    if (!host) throw notFound("Host");
    if (!t.from.includes(host.state)) {
      throw new AppError("PRECONDITION_FAILED", `Cannot ${input.action} ${host.name}: it is ${host.state}`);
    }
    const updated = await tx.host.update({ where: { id: host.id }, data: { state: t.to }, select: { id: true, name: true, state: true } });
    await recordAudit(tx, {
      ...userActor(ctx),
      action: `host.${input.action}`,
      targetType: "host",
      targetId: host.id,
      before: { state: host.state },
      after: { state: t.to },
      reason: input.reason,
    });
    return updated;
  }, TX_OPTIONS);
}

/** What draining the host would do, from the placement engine: moves in waves, and what would be stuck. */
export async function drainPreview(ctx: ServiceCtx, hostId: string) {
  requireFleetReader(ctx.caller);
  const snapshot = await readFleetSnapshot(ctx.db);
  if (!snapshot.hosts.some((h) => h.id === hostId)) throw notFound("Host");
  const plan = planHostDrain(snapshot, hostId);
  const hostName = new Map(snapshot.hosts.map((h) => [h.id, h.name]));
  const serverName = new Map(snapshot.stateServers.map((s) => [s.id, s.name]));
  return {
    complete: plan.complete,
    moves: plan.moves.map(({ leavingReplicaId: _, ...m }) => ({
      ...m,
      stateServerName: serverName.get(m.stateServer) ?? m.stateServer,
      fromName: hostName.get(m.from) ?? m.from,
      toName: hostName.get(m.to) ?? m.to,
    })),
    waves: plan.waves,
    blocked: plan.blocked.map((b) => ({
      stateServer: b.stateServer,
      stateServerName: serverName.get(b.stateServer) ?? b.stateServer,
      ordinal: b.ordinal,
      message: b.message,
    })),
  };
}
