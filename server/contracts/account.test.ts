import { expect, it } from "vitest";
import { SignUpInput } from "./account";

it("a too-long sign-up field gets a sentence a person can act on, not the validator's text", () => {
  const r = SignUpInput.safeParse({ name: "n".repeat(300), email: `${"e".repeat(260)}@example.com`, password: "p".repeat(201) });
  expect(r.success).toBe(false);
  const messages = Object.fromEntries(r.error!.issues.map((i) => [i.path[0], i.message]));
  expect(messages).toEqual({
    name: "use at most 100 characters for your name",
    email: expect.stringMatching(/^(use at most 254 characters for your email|enter a valid email address)$/),
    password: "use at most 200 characters for your password",
  });
  for (const m of Object.values(messages)) expect(m).not.toMatch(/Too big|expected string/);
});
