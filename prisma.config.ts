import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

// Prisma's native schema engine cannot be downloaded on these machines, so the
// CLI runs in driver-adapter mode (the wasm schema engine over `pg`). It is used
// to generate the client and, for developers, to diff the schema into a new
// migration (scripts/new-migration.ts). Migrations are applied by
// server/db/migrate.ts, the one path used by `npm start`, tests and CI.

// adapter-pg cannot map the catalog column types "char" (oid 18) and name
// (oid 19) that the schema engine reads (prisma/orm#27403): describe them as
// text (oid 25) in every result, Pool or Client. This runs only in the CLI.
const CATALOG_OIDS_AS_TEXT = new Set([18, 19]);
type FieldDescription = { dataTypeID: number };
const resultPrototype = pg.Result.prototype as unknown as { addFields(fields: FieldDescription[]): void };
const addFields = resultPrototype.addFields;
Object.assign(resultPrototype, {
  addFields(this: typeof resultPrototype, fields: FieldDescription[]) {
    for (const field of fields) if (CATALOG_OIDS_AS_TEXT.has(field.dataTypeID)) field.dataTypeID = 25;
    return addFields.call(this, fields);
  },
});

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
  };
}

/**
 * adapter-pg drops its shadow database while its own pool still holds a
 * connection ("being accessed by other users"): close the pool first, then drop.
 */
class PrismaPgForMigrate extends PrismaPg {
  constructor(private readonly fields: pg.PoolConfig) {
    super(fields);
  }

  override async connectToShadowDb() {
    const admin = await this.connect();
    const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`;
    await admin.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = await new PrismaPg({ ...this.fields, database }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await admin.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.dispose();
    };
    return shadow;
  }
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    const url = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
    return new PrismaPgForMigrate(connectionFields(url));
  },
});
