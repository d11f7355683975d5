import { describe, expect, it } from "vitest";
import { signInErrorMessage, validateSignIn } from "./sign-in-schema";

describe("validateSignIn", () => {
  it("accepts a trimmed email and any non-empty password", () => {
    expect(validateSignIn({ email: "  ada@statehouse.local ", password: "x" })).toEqual({
      values: { email: "ada@statehouse.local", password: "x" },
    });
  });

  it("reports empty fields with distinct messages", () => {
    expect(validateSignIn({ email: " ", password: "" })).toEqual({
      errors: { email: "Enter your email address.", password: "Enter your password." },
    });
  });

  it("rejects a malformed email", () => {
    const result = validateSignIn({ email: "ada@", password: "x" });
    expect("errors" in result && result.errors.email).toMatch(/valid email/);
  });
});

describe("signInErrorMessage", () => {
  it("maps next-auth errors to readable text", () => {
    expect(signInErrorMessage("CredentialsSignin")).toBe("Wrong email or password.");
    expect(signInErrorMessage("RateLimited")).toBe("Too many attempts, try again in a minute.");
    expect(signInErrorMessage("Configuration")).toBe("Sign-in failed. Please try again.");
  });
});
