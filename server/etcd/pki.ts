import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import {
  bitString,
  booleanTrue,
  explicit,
  flagBits,
  implicit,
  objectId,
  octetString,
  sequence,
  set,
  time,
  unsignedInteger,
  utf8String,
} from "./der";

/**
 * Each state server's own certificate authority, so its etcd members speak TLS
 * and admit only callers holding a certificate it signed (etcd's
 * --client-cert-auth and --peer-client-cert-auth): the members' peers, the
 * control plane, and the clients of the environments it serves. A certificate
 * of one cluster is worthless on another. Keys are ECDSA P-256, made and used
 * by node:crypto; this module only writes the X.509 structure (RFC 5280).
 */
export interface KeyAndCertificate {
  certPem: string;
  keyPem: string;
}

/**
 * An issued certificate names its holder in an organizational unit and has no
 * common name: etcd would take a common name as the caller's etcd user (a
 * certificate must never stand in for a password), and etcd 3.4's JSON gateway
 * refuses any client certificate that carries one.
 */
export interface CertificateRequest {
  holder: string;
  /** IP addresses or DNS names the holder serves (subjectAltName); none for a client-only certificate. */
  hosts?: string[];
  server?: boolean;
  client?: boolean;
}

const OID = {
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  commonName: "2.5.4.3",
  organizationalUnit: "2.5.4.11",
  subjectKeyId: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  authorityKeyId: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
};
const KEY_USAGE = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 };
const HOUR_MS = 3_600_000;
const YEAR_MS = 365 * 24 * HOUR_MS;
/** No rotation is built yet: a certificate outlives any member it is issued to. */
const AUTHORITY_YEARS = 20;
const CERTIFICATE_YEARS = 10;

const signatureAlgorithm = () => sequence(objectId(OID.ecdsaWithSha256));
const name = (attribute: string, value: string) => sequence(set(sequence(objectId(attribute), utf8String(value))));
const extension = (oid: string, critical: boolean, value: Buffer) =>
  sequence(objectId(oid), ...(critical ? [booleanTrue()] : []), octetString(value));
const keyId = (spki: Buffer) => createHash("sha1").update(spki).digest();

function ipBytes(address: string): Buffer {
  if (isIPv4(address)) return Buffer.from(address.split(".").map(Number));
  const [head = "", tail] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return Buffer.concat(groups.map((g) => Buffer.from(g.padStart(4, "0"), "hex")));
}

const altName = (host: string) => (isIPv4(host) || isIPv6(host) ? implicit(7, ipBytes(host)) : implicit(2, Buffer.from(host, "ascii")));

const pem = (der: Buffer) =>
  `-----BEGIN CERTIFICATE-----\n${der.toString("base64").replace(/.{1,64}/g, "$&\n")}-----END CERTIFICATE-----\n`;

interface Signer {
  commonName: string;
  keyPem: string;
  spki: Buffer;
}

function certificate(signer: Signer | null, subject: Buffer, spki: Buffer, extensions: Buffer[], years: number, now: Date, keyPem: string) {
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))),
    unsignedInteger(serial),
    signatureAlgorithm(),
    signer ? name(OID.commonName, signer.commonName) : subject,
    sequence(time(new Date(now.getTime() - HOUR_MS)), time(new Date(now.getTime() + years * YEAR_MS))),
    subject,
    spki,
    explicit(3, sequence(...extensions)),
  );
  const signature = sign("sha256", tbs, createPrivateKey(signer?.keyPem ?? keyPem));
  return pem(sequence(tbs, signatureAlgorithm(), bitString(signature)));
}

function newKey() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    spki: publicKey.export({ type: "spki", format: "der" }),
  };
}

/** A self-signed authority for one cluster. */
export function newAuthority(commonName: string, now = new Date()): KeyAndCertificate {
  const { keyPem, spki } = newKey();
  const extensions = [
    extension(OID.basicConstraints, true, sequence(booleanTrue())),
    extension(OID.keyUsage, true, flagBits([KEY_USAGE.digitalSignature, KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign])),
    extension(OID.subjectKeyId, false, octetString(keyId(spki))),
  ];
  return { certPem: certificate(null, name(OID.commonName, commonName), spki, extensions, AUTHORITY_YEARS, now, keyPem), keyPem };
}

/** A certificate signed by `authority`, with a fresh key. */
export function issueCertificate(authority: KeyAndCertificate, request: CertificateRequest, now = new Date()): KeyAndCertificate {
  const issuer = new X509Certificate(authority.certPem);
  const signer: Signer = {
    commonName: /^CN=(.*)$/m.exec(issuer.subject)?.[1] ?? "",
    keyPem: authority.keyPem,
    spki: createPublicKey(authority.certPem).export({ type: "spki", format: "der" }),
  };
  const { keyPem, spki } = newKey();
  const usages = [...(request.server ? [OID.serverAuth] : []), ...(request.client ? [OID.clientAuth] : [])];
  const extensions = [
    extension(OID.basicConstraints, true, sequence()),
    extension(OID.keyUsage, true, flagBits([KEY_USAGE.digitalSignature])),
    extension(OID.extKeyUsage, false, sequence(...usages.map(objectId))),
    ...(request.hosts?.length ? [extension(OID.subjectAltName, false, sequence(...request.hosts.map(altName)))] : []),
    extension(OID.subjectKeyId, false, octetString(keyId(spki))),
    extension(OID.authorityKeyId, false, sequence(implicit(0, keyId(signer.spki)))),
  ];
  const subject = name(OID.organizationalUnit, request.holder);
  return { certPem: certificate(signer, subject, spki, extensions, CERTIFICATE_YEARS, now, keyPem), keyPem };
}

/** What an agent and the controller compare to tell whether a member holds the certificate it was issued (md5 of the PEM, as Postgres computes it). */
export const certificateFingerprint = (certPem: string) => createHash("md5").update(certPem).digest("hex");
