import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

// Prisma's native schema engine cannot be downloaded on these machines, so the
// CLI runs in driver-adapter mode (the wasm schema engine over `pg`). It is used
// to generate the client and, for developers, to diff the schema into a new
// migration (scripts/new-migration.ts). Migrations are applied by
// server/db/migrate.ts, the one path used by `npm start`, tests and CI.

// adapter-pg cannot decode the catalog types "char" (oid 18) and name (oid 19)
// that the schema engine reads (prisma/orm#27403): hand them over as text.
const CATALOG_TEXT_OIDS = new Set([18, 19]);
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    CATALOG_TEXT_OIDS.has(oid)
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
};

function connectionFields(url: string) {
  // Discrete fields, not a connectionString: the adapter's shadow-database pool
  // overrides `database`, which a connectionString would silently win over.
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1),
    allowExitOnIdle: true,
    types,
  };
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    const url = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
    return new PrismaPg(connectionFields(url));
  },
});
