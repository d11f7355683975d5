import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { TlsMaterial } from "../contracts/agent";
import { certificateFingerprint } from "../etcd/pki";
import type { MemberFiles } from "./member-process";

/**
 * A member's TLS material on the agent's disk: the cluster's authority, the
 * member's certificate and key, each mode 0600 beside the data dir. etcd reads
 * them by path; the agent also uses them as its client certificate when it asks
 * the member for its health (the certificate is for both server and client use).
 */
export interface LoadedTls {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
  /** md5 of the certificate PEM: what the heartbeat reports, so the controller sends the material only when it differs. */
  fingerprint: string;
}

/** Written under a private name and renamed into place: etcd never reads half a key. */
async function writePrivate(file: string, text: string) {
  const draft = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(draft, text, { mode: 0o600 });
  await rename(draft, file);
}

export async function writeMemberTls(files: MemberFiles, tls: TlsMaterial): Promise<LoadedTls> {
  await mkdir(path.dirname(files.keyFile), { recursive: true, mode: 0o700 });
  await writePrivate(files.keyFile, tls.key);
  await writePrivate(files.caFile, tls.ca);
  await writePrivate(files.certFile, tls.cert);
  const cert = Buffer.from(tls.cert);
  return { ca: Buffer.from(tls.ca), cert, key: Buffer.from(tls.key), fingerprint: certificateFingerprint(tls.cert) };
}

/** The material on disk, or undefined when any part is missing. */
export async function loadMemberTls(files: MemberFiles): Promise<LoadedTls | undefined> {
  try {
    const [ca, cert, key] = await Promise.all([readFile(files.caFile), readFile(files.certFile), readFile(files.keyFile)]);
    return { ca, cert, key, fingerprint: certificateFingerprint(cert.toString("utf8")) };
  } catch {
    return undefined;
  }
}
