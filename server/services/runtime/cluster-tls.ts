import type { TlsMaterial } from "../../contracts/agent";
import type { Db, Tx } from "../../db/client";
import { issueCertificate, newAuthority, type KeyAndCertificate } from "../../etcd/pki";
import { seal, unseal } from "../../etcd/secret-box";

/**
 * Each state server's certificate authority and the certificates it signs
 * (server/etcd/pki.ts). The authority is made when the cluster is bootstrapped
 * and kept on the state server's row, its key sealed like the root password; a
 * cluster bootstrapped before TLS has none and stays on plain HTTP.
 */
export interface ServerAuthority {
  id: string;
  name: string;
  caCert: string | null;
  caKeySealed: string | null;
}

/** Whether the cluster's members speak TLS: it has an authority, or it is not bootstrapped yet (it will get one). */
export const isTlsCluster = (server: { caCert: string | null; clusterState: string }) =>
  server.caCert !== null || server.clusterState === "new";

const opened = (caCert: string, caKeySealed: string): KeyAndCertificate => ({ certPem: caCert, keyPem: unseal(caKeySealed) });

/**
 * The cluster's authority, made on first use and remembered on `server` (the
 * caller's snapshot for this pass); of two controllers racing here, the first
 * one written is kept by both.
 */
export async function ensureAuthority(db: Db | Tx, server: ServerAuthority): Promise<KeyAndCertificate> {
  if (!server.caCert || !server.caKeySealed) {
    const fresh = newAuthority(`statehouse-${server.name}`);
    await db.stateServer.updateMany({
      where: { id: server.id, caCert: null },
      data: { caCert: fresh.certPem, caKeySealed: seal(fresh.keyPem) },
    });
    Object.assign(
      server,
      await db.stateServer.findUniqueOrThrow({ where: { id: server.id }, select: { caCert: true, caKeySealed: true } }),
    );
  }
  return opened(server.caCert!, server.caKeySealed!);
}

/** A member's certificate, for server and client use at the address its host listens on; the key sealed for the row. */
export function memberCertificate(authority: KeyAndCertificate, replicaId: string, address: string) {
  const issued = issueCertificate(authority, { holder: `member-${replicaId}`, hosts: [address], server: true, client: true });
  return { tlsCert: issued.certPem, tlsKeySealed: seal(issued.keyPem) };
}

/** The member's material as its agent gets it. */
export const memberTls = (caCert: string, tlsCert: string, tlsKeySealed: string): TlsMaterial => ({
  ca: caCert,
  cert: tlsCert,
  key: unseal(tlsKeySealed),
});

/**
 * A client certificate of the cluster, for a caller that is not a member: the
 * control plane itself, or an environment's clients. It only admits the caller
 * to the cluster's ports: it names no etcd user (pki.ts), so reading or writing
 * any key still takes a password (root's, or the environment's own).
 */
export function clientTls(server: { caCert: string; caKeySealed: string }, holder: string): TlsMaterial {
  const issued = issueCertificate(opened(server.caCert, server.caKeySealed), { holder, client: true });
  return { ca: server.caCert, cert: issued.certPem, key: issued.keyPem };
}

const controlPlane = new Map<string, TlsMaterial>();

/** The control plane's client certificate for a cluster, made once per process (undefined on a plain-HTTP cluster). */
export function controlPlaneTls(server: { caCert: string | null; caKeySealed: string | null }): TlsMaterial | undefined {
  if (!server.caCert || !server.caKeySealed) return undefined;
  let tls = controlPlane.get(server.caCert);
  if (!tls)
    controlPlane.set(
      server.caCert,
      (tls = clientTls({ caCert: server.caCert, caKeySealed: server.caKeySealed }, "statehouse-control-plane")),
    );
  return tls;
}
