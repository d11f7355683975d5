/**
 * `npm run audit:verify`: recomputes the audit hash chain in DATABASE_URL and
 * reports the first broken link. Exit 0 when intact, 1 when broken, 2 on usage errors.
 */
import { createPrismaClient } from "../server/db/client";
import { verifyAuditChain } from "../server/services/audit-verify";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set");
  process.exit(2);
}
const db = createPrismaClient(url, 2);
try {
  const report = await verifyAuditChain(db);
  if (report.ok) {
    console.log(`audit chain intact: ${report.events} events, last hash ${report.lastHash}`);
  } else {
    console.error(
      `audit chain BROKEN at event ${report.brokenAt} (${report.reason}) after ${report.events} good events: ${report.message}`,
    );
    process.exitCode = 1;
  }
} finally {
  await db.$disconnect();
}
