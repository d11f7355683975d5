import { once } from "node:events";
import { connect, createServer, type TLSSocket } from "node:tls";
import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { certificateFingerprint, issueCertificate, newAuthority, type KeyAndCertificate } from "./pki";

const authority = newAuthority("statehouse-ca-test");
const server = issueCertificate(authority, {
  holder: "member-1",
  hosts: ["127.0.0.1", "::1", "host-1.local"],
  server: true,
  client: true,
});

/** A TLS server that demands a client certificate of `trusted`; resolves with whether a client holding `client` got through. */
async function handshake(
  trusted: KeyAndCertificate,
  client?: KeyAndCertificate,
  host = "127.0.0.1",
): Promise<{ ok: boolean; peer?: string }> {
  const tls = createServer(
    { key: server.keyPem, cert: server.certPem, ca: trusted.certPem, requestCert: true, rejectUnauthorized: true },
    (s) => s.end("hello"),
  );
  tls.on("tlsClientError", () => undefined);
  tls.listen(0, "127.0.0.1");
  await once(tls, "listening");
  const { port } = tls.address() as { port: number };
  try {
    const socket: TLSSocket = connect({
      host,
      port,
      ca: authority.certPem,
      ...(client ? { key: client.keyPem, cert: client.certPem } : {}),
    });
    const result = await new Promise<{ ok: boolean; peer?: string }>((resolve) => {
      let data = "";
      socket.on("data", (d: Buffer) => (data += d.toString()));
      socket.on("end", () => resolve({ ok: data === "hello", peer: String(socket.getPeerCertificate().subject?.OU) }));
      socket.on("error", () => resolve({ ok: false }));
    });
    socket.destroy();
    return result;
  } finally {
    tls.close();
  }
}

describe("pki", () => {
  it("makes a self-signed authority that node parses as a CA", () => {
    const ca = new X509Certificate(authority.certPem);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe("CN=statehouse-ca-test");
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(Date.parse(ca.validTo) - Date.now()).toBeGreaterThan(19 * 365 * 86_400_000);
  });

  it("issues certificates the authority signed, for the names asked", () => {
    const cert = new X509Certificate(server.certPem);
    const ca = new X509Certificate(authority.certPem);
    expect(cert.ca).toBe(false);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.issuer).toBe(ca.subject);
    expect(cert.subject).toBe("OU=member-1");
    expect(cert.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(cert.checkIP("0:0:0:0:0:0:0:1")).toBeTruthy();
    expect(cert.checkHost("host-1.local")).toBe("host-1.local");
    expect(cert.checkIP("127.0.0.2")).toBeUndefined();
    expect(cert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
    expect(new X509Certificate(issueCertificate(authority, { holder: "c", client: true }).certPem).keyUsage).toEqual(["1.3.6.1.5.5.7.3.2"]);
    const other = new X509Certificate(newAuthority("statehouse-ca-other").certPem);
    expect(cert.verify(other.publicKey)).toBe(false);
  });

  it("admits over mutual TLS exactly the clients holding a certificate of the same authority", async () => {
    const client = issueCertificate(authority, { holder: "client-1", client: true });
    const stranger = issueCertificate(newAuthority("statehouse-ca-other"), { holder: "client-2", client: true });
    expect(await handshake(authority, client)).toEqual({ ok: true, peer: "member-1" });
    expect((await handshake(authority, stranger)).ok).toBe(false);
    expect((await handshake(authority)).ok).toBe(false);
  });

  it("fingerprints a certificate the way Postgres's md5() does", () => {
    expect(certificateFingerprint("abc")).toBe("900150983cd24fb0d6963f7d28e17f72");
  });
});
