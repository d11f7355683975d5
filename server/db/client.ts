import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { requireDatabaseUrl } from "../env";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export function createPrismaClient(url: string, poolSize = 10): PrismaClient {
  const adapter = new PrismaPg({ connectionString: url, max: poolSize });
  return new PrismaClient({ adapter });
}

const globalForPrisma = globalThis as unknown as { statehousePrisma?: PrismaClient };

/** The app's one Prisma client (kept on globalThis so dev reloads do not leak pools). */
export function db(): PrismaClient {
  globalForPrisma.statehousePrisma ??= createPrismaClient(requireDatabaseUrl());
  return globalForPrisma.statehousePrisma;
}
