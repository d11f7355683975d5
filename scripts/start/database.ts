import path from "node:path";
import { DEMO_PASSWORD, DEMO_USERS } from "../../prisma/demo-data";
import { seedBaseline, seedDemo } from "../../prisma/seed";
import { createPrismaClient } from "../../server/db/client";
import { startEmbeddedPostgres } from "../../server/db/embedded";
import { ensureDatabase, migrate } from "../../server/db/migrate";
import { createAdmin } from "../../server/services/users";
import { PROJECT_DIR } from "./supervise";

/**
 * The database `npm start` runs on: DATABASE_URL, or an embedded Postgres on
 * `embeddedPort` (started again when it dies; `onStop` receives its stop),
 * migrated and seeded (demo data, or in production the baseline and the first
 * administrator from STATEHOUSE_ADMIN_EMAIL/PASSWORD).
 */
export async function prepareDatabase(o: {
  production: boolean;
  embeddedPort: () => Promise<number>;
  log: (m: string) => void;
  onStop: (stop: () => Promise<void>, halt: () => void) => void;
}): Promise<string> {
  const { log } = o;
  let url = process.env.DATABASE_URL;
  if (!url) {
    const port = await o.embeddedPort();
    const embedded = await startEmbeddedPostgres({ projectDir: PROJECT_DIR, port, database: "statehouse", log, restart: true });
    o.onStop(
      async () => {
        log("stopping embedded PostgreSQL");
        await embedded.stop();
      },
      () => embedded.halt(),
    );
    url = embedded.url;
    log(`embedded PostgreSQL running on 127.0.0.1:${port} (data in ${path.relative(PROJECT_DIR, embedded.dataDir) || embedded.dataDir})`);
  } else {
    log("using the database in DATABASE_URL");
  }
  await ensureDatabase(url);
  const result = await migrate(url);
  log(result.applied.length ? `applied migrations: ${result.applied.join(", ")}` : "database schema up to date");
  const db = createPrismaClient(url, 2);
  try {
    if (o.production) {
      await seedBaseline(db);
      const email = process.env.STATEHOUSE_ADMIN_EMAIL;
      const password = process.env.STATEHOUSE_ADMIN_PASSWORD;
      if (email && password && (await db.user.count({ where: { platformRole: "admin" } })) === 0) {
        await createAdmin(db, { email, name: "Administrator", password });
        log(`created the first administrator ${email}`);
      }
    } else if (await seedDemo(db)) {
      log("seeded demo data");
    }
  } finally {
    await db.$disconnect();
  }
  return url;
}

export function logDemoLogins(log: (m: string) => void) {
  log(`demo logins (password "${DEMO_PASSWORD}"):`);
  for (const [role, user] of Object.entries(DEMO_USERS)) log(`  ${role.padEnd(8)} ${user.email}`);
}
