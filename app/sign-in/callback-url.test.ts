import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./callback-url";

const origin = "http://localhost:3000";

describe("safeCallbackUrl", () => {
  it.each([
    [undefined, "/environments"],
    ["", "/environments"],
    ["/admin/hosts?state=down", "/admin/hosts?state=down"],
    ["http://localhost:3000/placement", "/placement"],
    ["https://evil.example/steal", "/environments"],
    ["//evil.example/steal", "/environments"],
    ["/\\evil.example", "/environments"],
    ["/sign-in?callbackUrl=/x", "/environments"],
    ["/api/auth/signout", "/environments"],
    ["javascript:alert(1)", "/environments"],
  ])("%s -> %s", (raw, expected) => {
    expect(safeCallbackUrl(raw, origin)).toBe(expected);
  });
});
