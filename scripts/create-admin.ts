import { parseArgs } from "node:util";
import { createPrismaClient } from "../server/db/client";
import { findAppError } from "../server/errors";
import { createAdmin } from "../server/services/users";

// Usage: npm run create-admin -- --email ops@example.com --name "Ops" (password from
// STATEHOUSE_ADMIN_PASSWORD, so it never lands in shell history).
const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" } } });
const url = process.env.DATABASE_URL;
const password = process.env.STATEHOUSE_ADMIN_PASSWORD;
if (!url || !values.email || !password) {
  console.error("usage: DATABASE_URL=… STATEHOUSE_ADMIN_PASSWORD=… npm run create-admin -- --email EMAIL [--name NAME]");
  process.exit(2);
}
const db = createPrismaClient(url, 1);
try {
  await createAdmin(db, { email: values.email, name: values.name ?? values.email, password });
  console.log(`administrator ${values.email} created`);
} catch (error) {
  console.error(`could not create the administrator: ${findAppError(error)?.message ?? (error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
