import { hashPassword } from "../auth/password";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { SignUpInput } from "../contracts/account";
import { recordAudit } from "./audit";
import { getPlatformSettings } from "./platform-settings";

/** A tenant slug from an email's local part, made unique with a short suffix when taken. */
function slugBase(email: string): string {
  const local = email.split("@")[0] ?? "user";
  return (
    local
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "user"
  ).slice(0, 30);
}

/**
 * "Try it": a new user with a personal tenant (owner), the free-tier quota and
 * the free-tier zone grants, in one transaction. Refused when sign-up is off.
 */
export async function signUp(db: Db, input: SignUpInput, requestId?: string) {
  const settings = await getPlatformSettings(db);
  if (!settings.signupEnabled) {
    throw new AppError("FORBIDDEN", "Sign-up is turned off on this installation; ask an administrator for an account");
  }
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
        throw new AppError("CONFLICT", "email: an account with this email already exists; sign in instead", { field: "email" });
      }
      const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash }, select: { id: true } });
      const base = slugBase(input.email);
      const taken = await tx.tenant.count({ where: { slug: { startsWith: base } } });
      const slug = taken ? `${base}-${user.id.slice(-6)}` : base;
      const zones = await tx.securityZone.findMany({ where: { name: { in: settings.freeTierZones } }, select: { id: true } });
      const tenant = await tx.tenant.create({
        data: {
          slug,
          name: `${input.name}'s space`,
          memberships: { create: { userId: user.id, role: "owner" } },
          quota: {
            create: {
              maxDevelopmentEnvs: settings.freeDevelopmentEnvs,
              maxStagingEnvs: settings.freeStagingEnvs,
              maxProductionEnvs: settings.freeProductionEnvs,
              maxReplicas: settings.freeReplicas,
              maxCpuMillis: settings.freeCpuMillis,
              maxMemoryMiB: settings.freeMemoryMiB,
            },
          },
          zoneGrants: { create: zones.map((z) => ({ zoneId: z.id })) },
        },
        select: { id: true, slug: true },
      });
      await recordAudit(tx, {
        actorType: "user",
        actorId: user.id,
        actorLabel: input.email,
        action: "user.sign_up",
        targetType: "tenant",
        targetId: tenant.id,
        tenantId: tenant.id,
        after: { email: input.email, tenant: tenant.slug, zones: zones.length },
        requestId,
      });
      return { userId: user.id, tenantId: tenant.id, tenantSlug: tenant.slug };
    });
  } catch (error) {
    // Two sign-ups racing for one email: the unique index decides, with the same answer.
    if ((error as { code?: string }).code === "P2002") {
      throw new AppError("CONFLICT", "email: an account with this email already exists; sign in instead", { field: "email" });
    }
    throw error;
  }
}
