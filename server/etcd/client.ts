import { noop } from "cockatiel";
import { Etcd3, type IOptions } from "etcd3";
import type { TlsMaterial } from "../contracts/agent";

/** Per-call deadline: a dead endpoint must cost little (etcd3's default breaker stalled 5 s here). */
export const CALL_DEADLINE_MS = 3000;

export interface EtcdAccess {
  endpoints: string[];
  /** Absent: no auth (a cluster before auth is enabled, or Maintenance.Status). */
  auth?: { username: string; password: string };
  /** A TLS cluster: its authority, and a client certificate it signed (members admit no caller without one). */
  tls?: TlsMaterial;
}

/** etcd3's `credentials` option for a client certificate of a TLS cluster. */
export const grpcCredentials = (tls: TlsMaterial) => ({
  rootCertificate: Buffer.from(tls.ca),
  certChain: Buffer.from(tls.cert),
  privateKey: Buffer.from(tls.key),
});

/**
 * An etcd v3 client with short deadlines and no library-level retries or
 * circuit breakers: the controller's passes are the retry loop.
 */
export function etcdClient(access: EtcdAccess): Etcd3 {
  const options: IOptions = {
    hosts: access.endpoints,
    dialTimeout: 2000,
    defaultCallOptions: () => ({ deadline: Date.now() + CALL_DEADLINE_MS }),
    faultHandling: { host: () => noop, global: noop },
    ...(access.tls ? { credentials: grpcCredentials(access.tls) } : {}),
    ...(access.auth ? { auth: { ...access.auth, callOptions: () => ({ deadline: Date.now() + CALL_DEADLINE_MS }) } } : {}),
  };
  return new Etcd3(options);
}

/** Runs `fn` with a fresh client and always closes it. */
export async function withEtcd<T>(access: EtcdAccess, fn: (client: Etcd3) => Promise<T>): Promise<T> {
  const client = etcdClient(access);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/** Member ids travel as hex (what etcdctl prints); the gRPC client speaks decimal strings. */
export const memberIdHex = (decimal: string) => BigInt(decimal).toString(16);
export const memberIdDecimal = (hex: string) => BigInt(`0x${hex}`).toString(10);
