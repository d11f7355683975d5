import type { z } from "zod";
import type { UserCaller } from "../auth/caller";
import { isAdmin } from "../auth/caller";
import type { Db } from "../db/client";
import { AppError, forbidden } from "../errors";
import type { UpdateSettingsInput } from "../contracts/account";
import { recordAudit } from "./audit";

/** The settings row, created with its documented defaults on first read. */
export async function getPlatformSettings(db: Db) {
  return db.platformSettings.upsert({ where: { id: 1 }, update: {}, create: { id: 1 } });
}

export async function updatePlatformSettings(db: Db, caller: UserCaller, input: z.infer<typeof UpdateSettingsInput>, requestId?: string) {
  if (!isAdmin(caller)) throw forbidden("Only administrators can change platform settings");
  return db.$transaction(async (tx) => {
    if (input.freeTierZones) {
      // A new personal tenant is granted these zones by name: a name that is no zone would grant nothing, silently.
      const names = [...new Set(input.freeTierZones)];
      input = { ...input, freeTierZones: names };
      const known = new Set(
        (await tx.securityZone.findMany({ where: { name: { in: names } }, select: { name: true } })).map((z) => z.name),
      );
      const unknown = names.filter((n) => !known.has(n));
      if (unknown.length) {
        throw new AppError("VALIDATION", `freeTierZones: no security zone is named ${unknown.map((n) => `"${n}"`).join(", ")}`, {
          field: "freeTierZones",
        });
      }
    }
    const before = await tx.platformSettings.upsert({ where: { id: 1 }, update: {}, create: { id: 1 } });
    const after = await tx.platformSettings.update({ where: { id: 1 }, data: input });
    const { updatedAt: _b, ...beforeJson } = before;
    const { updatedAt: _a, ...afterJson } = after;
    await recordAudit(tx, {
      actorType: "user",
      actorId: caller.userId,
      actorLabel: caller.email,
      action: "settings.update",
      targetType: "platform_settings",
      targetId: "1",
      before: beforeJson,
      after: afterJson,
      requestId,
    });
    return after;
  });
}
