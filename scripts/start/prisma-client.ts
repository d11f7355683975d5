import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The generated Prisma client (server/db/generated, made by `npm ci`'s
 * postinstall) keeps a copy of the schema it was built from. After a
 * `git pull` that changed prisma/schema.prisma, with no `npm ci` since, the
 * old client refused the new schema's values ("Invalid value for argument
 * `kind`"); `npm start` now regenerates it first.
 */
export function builtSchema(generatedClass: string): string | null {
  const match = /"inlineSchema": ("(?:[^"\\]|\\.)*")/.exec(generatedClass);
  return match ? (JSON.parse(match[1]!) as string) : null;
}

/** The schema without layout (prisma generate keeps a re-aligned copy): equal when only whitespace differs. */
export const schemaContent = (schema: string) =>
  schema
    .split("\n")
    .map((line) => line.trim().replace(/\s+/g, " "))
    .filter(Boolean)
    .join("\n");

export function ensurePrismaClient(projectDir: string, log: (message: string) => void): void {
  const schema = readFileSync(path.join(projectDir, "prisma", "schema.prisma"), "utf8");
  const classFile = path.join(projectDir, "server", "db", "generated", "internal", "class.ts");
  const built = existsSync(classFile) ? builtSchema(readFileSync(classFile, "utf8")) : null;
  if (built !== null && schemaContent(built) === schemaContent(schema)) return;
  log("the Prisma client is older than prisma/schema.prisma: generating it (npm run postinstall: prisma generate)…");
  // The same command npm ci runs after installing, so the generator's settings are written once (package.json).
  const result = spawnSync("npm", ["run", "--silent", "postinstall"], { cwd: projectDir, stdio: "inherit" });
  if (result.error) throw new Error(`could not run npm run postinstall (${result.error.message})`);
  if (result.status !== 0) throw new Error("prisma generate failed (its output is above)");
}
