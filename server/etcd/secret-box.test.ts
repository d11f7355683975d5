import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";

it("seals with a key made once (0600) outside the database, and opens only what it sealed", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "secret-box-"));
  process.env.STATEHOUSE_SECRET_KEY_FILE = path.join(dir, "secret.key");
  const { seal, unseal } = await import("./secret-box");
  const sealed = seal("env_s3cret-password");
  expect(sealed).not.toContain("s3cret");
  expect(unseal(sealed)).toBe("env_s3cret-password");
  expect(seal("same")).not.toBe(seal("same")); // a fresh IV each time
  const key = process.env.STATEHOUSE_SECRET_KEY_FILE!;
  expect(readFileSync(key, "utf8")).toMatch(/^[0-9a-f]{64}$/);
  expect(statSync(key).mode & 0o777).toBe(0o600);
  const [v, iv, tag, body] = sealed.split(".");
  const tampered = [v, iv, tag, Buffer.from("tampered").toString("base64") + body].join(".");
  expect(() => unseal(tampered)).toThrow();
});
