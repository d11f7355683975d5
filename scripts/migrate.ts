import { ensureDatabase, migrate } from "../server/db/migrate";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set: point it at the database to migrate");
  process.exit(2);
}
try {
  if (await ensureDatabase(url)) console.log("created the database");
  const result = await migrate(url);
  console.log(
    result.applied.length
      ? `applied ${result.applied.length} migration(s): ${result.applied.join(", ")}`
      : `database is up to date (${result.alreadyApplied} migration(s) applied before)`,
  );
} catch (error) {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exit(1);
}
