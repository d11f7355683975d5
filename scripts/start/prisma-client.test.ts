import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { builtSchema, schemaContent } from "./prisma-client";

describe("builtSchema", () => {
  it("reads the schema the generated client was built from (this checkout's client matches its schema)", () => {
    const root = path.join(import.meta.dirname, "..", "..");
    const generated = readFileSync(path.join(root, "server", "db", "generated", "internal", "class.ts"), "utf8");
    const schema = readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8");
    expect(schemaContent(builtSchema(generated)!)).toBe(schemaContent(schema));
    expect(schemaContent(builtSchema(generated)!)).not.toBe(schemaContent(schema.replace("enum Stage {", "enum Stage {\n  preview")));
  });

  it("is null for a file without an inline schema, and unescapes quotes and newlines", () => {
    expect(builtSchema("export const x = 1")).toBeNull();
    expect(builtSchema(`  "inlineSchema": "model A {\\n  b String @default(\\"c\\")\\n}",\n`)).toBe(
      'model A {\n  b String @default("c")\n}',
    );
  });
});
