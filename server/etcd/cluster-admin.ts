import { type Etcd3, EtcdUserExistsError } from "etcd3";
import type { TlsMaterial } from "../contracts/agent";
import { memberIdDecimal, memberIdHex, withEtcd, type EtcdAccess } from "./client";

export interface ClusterMember {
  /** hex */
  id: string;
  name: string;
  peerUrls: string[];
  clientUrls: string[];
  isLearner: boolean;
}

/** etcd refused a membership change for now (quorum not settled, learner behind): the next pass tries again. */
export class RetryLater extends Error {}

const RETRYABLE = [
  /unhealthy cluster/i,
  /not in sync|in sync with leader|not ready|learner.*(behind|catch)/i,
  /too many learner/i,
  /timeout|deadline/i,
  /leader changed/i,
];

function classify(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  if (RETRYABLE.some((pattern) => pattern.test(message))) throw new RetryLater(message);
  throw error;
}

export const ROOT_USER = "root";

export async function listMembers(client: Etcd3): Promise<ClusterMember[]> {
  const { members } = await client.cluster.memberList({});
  return members.map((m) => ({
    id: memberIdHex(m.ID),
    name: m.name,
    peerUrls: m.peerURLs,
    clientUrls: m.clientURLs,
    isLearner: Boolean(m.isLearner),
  }));
}

/** Adds a learner (it receives the log but does not vote until promoted); returns its member id (hex). */
export async function addLearner(client: Etcd3, peerUrl: string): Promise<string> {
  try {
    const added = await client.cluster.memberAdd({ peerURLs: [peerUrl], isLearner: true });
    return memberIdHex(added.member.ID);
  } catch (error) {
    classify(error);
  }
}

/**
 * Promotes a learner, asking the leader itself. etcd 3.4 forwards a promote
 * sent to a follower without the caller's credentials, so with auth on the
 * leader refuses it ("auth: user name is empty") and the follower retries until
 * "request timed out" (etcd-io/etcd#20757, fixed in 3.5 and 3.6 only). Sent to
 * a follower, every promote failed that way: a lost host took ~17 s instead of ~7 s to recover.
 */
export async function promoteMember(client: Etcd3, memberIdHexValue: string, root: RootCredential): Promise<void> {
  try {
    const leader = await leaderClientUrls(client);
    await withEtcd(rootAccess(leader, root), (root) => root.cluster.memberPromote({ ID: memberIdDecimal(memberIdHexValue) }));
  } catch (error) {
    classify(error);
  }
}

/** The client URLs of the member the asked member sees as leader. */
async function leaderClientUrls(client: Etcd3): Promise<string[]> {
  const { leader } = await client.maintenance.status();
  const { members } = await client.cluster.memberList({});
  const urls = members.find((m) => m.ID === leader)?.clientURLs ?? [];
  if (!urls.length) throw new RetryLater("no leader to promote the learner");
  return urls;
}

export async function removeMember(client: Etcd3, memberIdHexValue: string): Promise<void> {
  try {
    await client.cluster.memberRemove({ ID: memberIdDecimal(memberIdHexValue) });
  } catch (error) {
    if (/member not found/i.test(String(error))) return;
    classify(error);
  }
}

/**
 * Turns auth on for a freshly bootstrapped cluster: the root user (with the
 * root role) gets `rootPassword`, then auth is enabled. Idempotent: on a
 * cluster where auth is already on, it only checks that the root password works.
 */
export async function enableAuth(endpoints: string[], credential: RootCredential): Promise<void> {
  const rootPassword = credential.password;
  const already = await withEtcd(rootAccess(endpoints, credential), async (root) => {
    try {
      await root.get("/statehouse/auth-check").string();
      return true;
    } catch {
      return false;
    }
  });
  if (already) return;
  await withEtcd({ endpoints, ...(credential.tls ? { tls: credential.tls } : {}) }, async (open) => {
    try {
      await open.user(ROOT_USER).create(rootPassword);
    } catch (error) {
      if (!(error instanceof EtcdUserExistsError)) classify(error);
      await open.user(ROOT_USER).setPassword(rootPassword);
    }
    await open.user(ROOT_USER).addRole("root");
    await open.auth.authEnable();
  });
}

/** What the control plane holds for a cluster: the root password, and on a TLS cluster its own client certificate. */
export interface RootCredential {
  password: string;
  tls?: TlsMaterial;
}

export const rootAccess = (endpoints: string[], root: RootCredential): EtcdAccess => ({
  endpoints,
  auth: { username: ROOT_USER, password: root.password },
  ...(root.tls ? { tls: root.tls } : {}),
});
