import { pathToFileURL } from "node:url";
import { hashPassword } from "../server/auth/password";
import { createPrismaClient, type Db } from "../server/db/client";
import { recordAudit } from "../server/services/audit";
import { BUILT_IN_POLICIES } from "./built-in-policies";
import { DEMO_EXTRA_USERS, DEMO_PASSWORD, DEMO_TENANTS, DEMO_USERS, DEMO_ZONES } from "./demo-data";

/** Rows every installation has (demo or production): the built-in policy rules. */
export async function seedBaseline(db: Db): Promise<void> {
  for (const rule of BUILT_IN_POLICIES) {
    await db.policyRule.upsert({ where: { name: rule.name }, update: {}, create: rule });
  }
}

/** Seeds the demo world once; returns false when users already exist (nothing is touched). */
export async function seedDemo(db: Db): Promise<boolean> {
  await seedBaseline(db);
  if ((await db.user.count()) > 0) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.$transaction(async (tx) => {
    const users = new Map<string, string>();
    for (const u of [...Object.values(DEMO_USERS), ...DEMO_EXTRA_USERS]) {
      const platformRole = "platformRole" in u ? u.platformRole : "user";
      const row = await tx.user.create({ data: { email: u.email, name: u.name, passwordHash, platformRole } });
      users.set(u.email, row.id);
    }
    const zones = new Map<string, string>();
    for (const z of DEMO_ZONES) zones.set(z.name, (await tx.securityZone.create({ data: z })).id);
    for (const t of DEMO_TENANTS) {
      const tenant = await tx.tenant.create({ data: { slug: t.slug, name: t.name, quota: { create: {} } } });
      await tx.zoneGrant.create({ data: { tenantId: tenant.id, zoneId: zones.get("shared-east")! } });
      if ("owner" in t) {
        await tx.membership.create({ data: { tenantId: tenant.id, userId: users.get(t.owner)!, role: "owner" } });
      }
      for (const extra of DEMO_EXTRA_USERS.filter((x) => x.tenant === t.slug)) {
        await tx.membership.create({ data: { tenantId: tenant.id, userId: users.get(extra.email)!, role: extra.role } });
      }
    }
    await recordAudit(tx, {
      actorType: "system",
      actorLabel: "seed",
      action: "demo.seed",
      targetType: "installation",
      after: { users: users.size, tenants: DEMO_TENANTS.length, zones: DEMO_ZONES.length },
    });
  });
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set");
    process.exit(2);
  }
  const db = createPrismaClient(url, 2);
  const production = process.env.STATEHOUSE_ENV === "production";
  const seeded = production ? (await seedBaseline(db), false) : await seedDemo(db);
  console.log(
    production ? "baseline rows ensured (production mode: no demo data)" : seeded ? "demo data seeded" : "demo data already present",
  );
  await db.$disconnect();
}
