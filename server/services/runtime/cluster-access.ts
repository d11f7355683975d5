import { isLiveHost } from "../../core/model";
import type { Db, Tx } from "../../db/client";
import type { EtcdAccess } from "../../etcd/client";
import { isSecure, memberUrl } from "../../contracts/member-url";
import { rootAccess } from "../../etcd/cluster-admin";
import { unseal } from "../../etcd/secret-box";
import { AppError } from "../../errors";
import { controlPlaneTls } from "./cluster-tls";

interface MemberRow {
  port: number | null;
  initialCluster: string | null;
  state: string;
  host: { state: string; address: string } | null;
}

const dialable = (r: MemberRow) => Boolean(r.port && r.initialCluster && r.host && isLiveHost(r.host.state) && r.state !== "stopping");

/** A started member's client URL (https on a TLS cluster, whose peer URLs in --initial-cluster are https). */
export const memberClientUrl = (r: MemberRow & { initialCluster: string; port: number; host: { address: string } }) =>
  memberUrl(r.host.address, r.port, isSecure(r));

/** Client URLs of a cluster's started members on live hosts (what clients and the controller dial). */
export function memberEndpoints(rows: readonly MemberRow[]): string[] {
  return rows.filter(dialable).map((r) => memberClientUrl(r as Parameters<typeof memberClientUrl>[0]));
}

/** Whom the controller asks first: voting members seen answering, then members starting or failed, learners last (they refuse most calls). */
const ROOT_ORDER: Record<string, number> = { running: 0, starting: 1, failed: 2, learner: 3 };

/** memberEndpoints in the order the controller tries them one by one (the sort is stable: ties keep row order). */
export function rootEndpoints(rows: readonly MemberRow[]): string[] {
  const rank = (r: MemberRow) => ROOT_ORDER[r.state] ?? ROOT_ORDER.failed!;
  return memberEndpoints([...rows].sort((a, b) => rank(a) - rank(b)));
}

const accessSelect = {
  id: true,
  name: true,
  clusterState: true,
  rootSealed: true,
  caCert: true,
  caKeySealed: true,
  replicaRows: { select: { port: true, initialCluster: true, state: true, host: { select: { state: true, address: true } } } },
} as const;

/** The endpoints of a state server's cluster, whether auth is on (clients can connect), and the control plane's client certificate on a TLS cluster. */
export async function clusterEndpoints(
  db: Db | Tx,
  stateServerId: string,
): Promise<Pick<EtcdAccess, "endpoints" | "tls"> & { ready: boolean }> {
  const server = await db.stateServer.findUnique({ where: { id: stateServerId }, select: accessSelect });
  if (!server) return { endpoints: [], ready: false };
  const tls = controlPlaneTls(server);
  return { endpoints: memberEndpoints(server.replicaRows), ready: server.clusterState === "ready", ...(tls ? { tls } : {}) };
}

/** Root access to a ready cluster (the control plane's own credential, never shown). */
export async function clusterRootAccess(db: Db | Tx, stateServerId: string): Promise<EtcdAccess> {
  const server = await db.stateServer.findUnique({ where: { id: stateServerId }, select: accessSelect });
  if (!server || server.clusterState !== "ready" || !server.rootSealed) {
    throw new AppError("PRECONDITION_FAILED", "The state server's cluster is not ready yet");
  }
  const endpoints = memberEndpoints(server.replicaRows);
  if (!endpoints.length) throw new AppError("PRECONDITION_FAILED", `State server ${server.name} has no reachable member`);
  const tls = controlPlaneTls(server);
  return rootAccess(endpoints, { password: unseal(server.rootSealed), ...(tls ? { tls } : {}) });
}
