import { expect, it } from "vitest";
import { plural } from "./plural";

it("counts in the right number", () => {
  expect(plural(1, "host")).toBe("1 host");
  expect(plural(0, "replica")).toBe("0 replicas");
  expect(plural(2000, "host")).toBe("2,000 hosts");
  expect(plural(1, "security zone")).toBe("1 security zone");
});
