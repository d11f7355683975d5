import { describe, expect, it } from "vitest";
import { APP_ERRORS, AppError, findAppError } from "./errors";

describe("domain errors", () => {
  it("maps every code to a 4xx or 5xx status, client errors below 500", () => {
    for (const [code, { http }] of Object.entries(APP_ERRORS)) {
      const expected5xx = code === "INTERNAL" || code === "UNAVAILABLE";
      expect(http >= 500, code).toBe(expected5xx);
      expect(http).toBeGreaterThanOrEqual(400);
    }
  });

  it("finds the AppError behind wrapping errors", () => {
    const app = new AppError("QUOTA_EXCEEDED", "quota exceeded: production environments 2/2", { field: "stage" });
    const wrapped = new Error("outer", { cause: new Error("middle", { cause: app }) });
    expect(findAppError(wrapped)).toBe(app);
    expect(findAppError(new Error("plain"))).toBeUndefined();
    expect(app.httpStatus).toBe(403);
  });
});
