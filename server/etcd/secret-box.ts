import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Seals the secrets the control plane must be able to use again (each
 * cluster's etcd root password, each environment's etcd password) with
 * AES-256-GCM under a key that never enters the database: STATEHOUSE_SECRET_KEY
 * (64 hex characters) or the key file STATEHOUSE_SECRET_KEY_FILE (default
 * `.data/secret.key`, made with mode 0600 on first use). A database dump alone
 * therefore yields no credential.
 */
// Inside the Next.js bundle import.meta.dirname is undefined; every process runs from the project directory.
const PROJECT_DIR = import.meta.dirname ? path.resolve(import.meta.dirname, "../..") : process.cwd();
const VERSION = "v1";
let cachedKey: Buffer | undefined;

function loadKey(): Buffer {
  if (cachedKey) return cachedKey;
  const fromEnv = process.env.STATEHOUSE_SECRET_KEY;
  if (fromEnv) {
    if (!/^[0-9a-f]{64}$/i.test(fromEnv)) throw new Error("STATEHOUSE_SECRET_KEY must be 64 hex characters (32 bytes)");
    return (cachedKey = Buffer.from(fromEnv, "hex"));
  }
  const file = process.env.STATEHOUSE_SECRET_KEY_FILE ?? path.join(PROJECT_DIR, ".data", "secret.key");
  try {
    return (cachedKey = Buffer.from(readFileSync(file, "utf8").trim(), "hex"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written whole under a private name, then linked into place: of two processes making the key at
  // once, one link wins and the other reads that key; nobody ever reads a half-written file.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(draft, randomBytes(32).toString("hex"), { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(draft);
  }
  return (cachedKey = Buffer.from(readFileSync(file, "utf8").trim(), "hex"));
}

export function seal(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", loadKey(), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64"), cipher.getAuthTag().toString("base64"), body.toString("base64")].join(".");
}

export function unseal(sealed: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("not a sealed secret");
  const decipher = createDecipheriv("aes-256-gcm", loadKey(), Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
}
