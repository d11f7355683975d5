import { expect, it } from "vitest";
import { slugify } from "./slugify";

it("derives a slug the tenant schema accepts from a display name", () => {
  expect(slugify("Acme Corp.")).toBe("acme-corp");
  expect(slugify("  Société Générale  ")).toBe("societe-generale");
  expect(slugify("Jo's 🚀 space")).toBe("jo-s-space");
  expect(slugify("a".repeat(50))).toHaveLength(40);
});
