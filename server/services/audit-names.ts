import type { Db } from "../db/client";

interface TargetRef {
  id: bigint;
  targetType: string;
  targetId: string | null;
}

const key = (type: string, id: string) => `${type}:${id}`;

/** Target types whose rows carry a name, and how to read them (one query per type per page). */
const LOOKUPS: Record<string, (db: Db, ids: string[]) => Promise<{ id: string; name: string }[]>> = {
  environment: (db, ids) => db.environment.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }),
  tenant: (db, ids) => db.tenant.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }),
  quota: async (db, ids) =>
    (await db.tenant.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((t) => ({
      id: t.id,
      name: `quota of ${t.name}`,
    })),
  zone: (db, ids) => db.securityZone.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }),
  policy: (db, ids) => db.policyRule.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }),
  host: (db, ids) => db.host.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }),
  state_server: (db, ids) => db.stateServer.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }),
  // A membership's audit target is the member's user id.
  membership: async (db, ids) =>
    (await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } })).map((u) => ({
      id: u.id,
      name: `${u.name} (${u.email})`,
    })),
  user: async (db, ids) =>
    (await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } })).map((u) => ({
      id: u.id,
      name: `${u.name} (${u.email})`,
    })),
  invitation: async (db, ids) =>
    (await db.invitation.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } })).map((i) => ({
      id: i.id,
      name: `invitation for ${i.email}`,
    })),
  api_token: (db, ids) => db.apiToken.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }),
};

/** A name the event itself recorded (for targets since removed): `name`, else `email`, of after or before. */
function recordedName(json: unknown): string | null {
  if (!json || typeof json !== "object") return null;
  const o = json as Record<string, unknown>;
  return typeof o.name === "string" ? o.name : typeof o.email === "string" ? o.email : null;
}

/**
 * Names of the audit events' targets, so a person reads "zone shared-east",
 * not "zone cmx17xc1…": the live row's name, or for a target since removed the
 * name the event recorded. Keyed by event id; absent when nothing names it.
 */
export async function auditTargetNames(db: Db, events: readonly TargetRef[]): Promise<Map<string, string>> {
  const idsByType = new Map<string, Set<string>>();
  for (const e of events) {
    if (!e.targetId || !LOOKUPS[e.targetType]) continue;
    const ids = idsByType.get(e.targetType) ?? new Set<string>();
    ids.add(e.targetId);
    idsByType.set(e.targetType, ids);
  }
  const found = new Map<string, string>();
  await Promise.all(
    [...idsByType].map(async ([type, ids]) => {
      for (const row of await LOOKUPS[type]!(db, [...ids])) found.set(key(type, row.id), row.name);
    }),
  );
  const names = new Map<string, string>();
  const missing: bigint[] = [];
  for (const e of events) {
    const name = e.targetId ? found.get(key(e.targetType, e.targetId)) : undefined;
    if (name) names.set(e.id.toString(), name);
    else if (e.targetId) missing.push(e.id);
  }
  if (missing.length) {
    const recorded = await db.auditEvent.findMany({ where: { id: { in: missing } }, select: { id: true, before: true, after: true } });
    for (const r of recorded) {
      const name = recordedName(r.after) ?? recordedName(r.before);
      if (name) names.set(r.id.toString(), name);
    }
  }
  return names;
}
