import { expect, it } from "vitest";
import { initials } from "./initials";

it("takes whole characters, emoji included", () => {
  expect(initials("Ada Admin")).toBe("AA");
  expect(initials("🚀 Olga")).toBe("🚀O");
  expect(initials("😀😀")).toBe("😀😀");
  expect(initials("👩‍💻 Dev Person")).toBe("👩‍💻P");
  expect(initials("élodie")).toBe("ÉL");
  expect(initials("   ")).toBe("?");
  expect(initials("🚀 Olga")).not.toContain("\uFFFD");
});
