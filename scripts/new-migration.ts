import { spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { MIGRATIONS_DIR } from "../server/db/migrate";

/**
 * `npm run db:new-migration -- NAME`: diffs prisma/schema.prisma against the
 * existing migrations (replayed on a throw-away shadow database on the server in
 * DATABASE_URL, default the local one) and writes the SQL as a new migration.
 */
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- name_in_snake_case");
  process.exit(2);
}
const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" };
const diff = spawnSync(
  path.resolve(import.meta.dirname, "../node_modules/.bin/prisma"),
  ["migrate", "diff", "--from-migrations", MIGRATIONS_DIR, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
  { env, encoding: "utf8" },
);
if (diff.status !== 0) {
  console.error(diff.stderr || diff.stdout);
  process.exit(1);
}
if (/This is an empty migration/.test(diff.stdout)) {
  console.log("schema.prisma matches the migrations: nothing to do");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
await mkdir(dir);
await writeFile(path.join(dir, "migration.sql"), diff.stdout);
console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql — read it, then npm run db:migrate`);
