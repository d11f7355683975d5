import { Etcd3 } from "etcd3";
import type { Db } from "../db/client";
import { grpcCredentials, type EtcdAccess } from "../etcd/client";
import { memberClientUrl } from "../services/runtime/cluster-access";
import { clientTls } from "../services/runtime/cluster-tls";
import { environmentPrefix, environmentUser } from "../etcd/environment-access";
import { until } from "./process-fleet";

/**
 * Helpers for tests that run real state servers (etcd clusters started by real
 * agents, managed by a real controller): read what the rows say, and talk to an
 * environment the way its users do (its own etcd user, on its prefix).
 */
export async function memberRows(db: Db, stateServerId: string) {
  return db.replica.findMany({
    where: { stateServerId },
    select: {
      id: true,
      ordinal: true,
      state: true,
      port: true,
      peerPort: true,
      memberId: true,
      initialCluster: true,
      isLearner: true,
      isLeader: true,
      pid: true,
      host: { select: { id: true, name: true, state: true, address: true } },
    },
    orderBy: [{ ordinal: "asc" }, { createdAt: "asc" }],
  });
}

/** Voting members that answer and see a leader, on live hosts. */
export async function votingMembers(db: Db, stateServerId: string) {
  return (await memberRows(db, stateServerId)).filter((r) => r.state === "running" && r.host && r.host.state !== "down");
}

/** Where an environment's clients dial: every started member, and on a TLS cluster a client certificate of its authority. */
export async function endpointsOf(db: Db, stateServerId: string): Promise<Pick<EtcdAccess, "endpoints" | "tls">> {
  const rows = await memberRows(db, stateServerId);
  const endpoints = rows
    .filter((r) => r.port && r.host && r.initialCluster)
    .map((r) => memberClientUrl(r as Parameters<typeof memberClientUrl>[0]));
  const server = await db.stateServer.findUniqueOrThrow({ where: { id: stateServerId }, select: { caCert: true, caKeySealed: true } });
  const tls =
    server.caCert && server.caKeySealed ? clientTls({ caCert: server.caCert, caKeySealed: server.caKeySealed }, "test-client") : undefined;
  return { endpoints, ...(tls ? { tls } : {}) };
}

/** An etcd client as the environment's user: its credential, its prefix, the server's endpoints. */
export function environmentClient(target: Pick<EtcdAccess, "endpoints" | "tls">, environmentId: string, credential: string): Etcd3 {
  const { tls } = target;
  return new Etcd3({
    hosts: target.endpoints,
    dialTimeout: 2000,
    auth: { username: environmentUser(environmentId), password: credential },
    defaultCallOptions: () => ({ deadline: Date.now() + 3000 }),
    ...(tls ? { credentials: grpcCredentials(tls) } : {}),
  });
}

/** Waits until the environment is running (its cluster voting at full strength and its user provisioned). */
export async function untilRunning(db: Db, environmentId: string, timeoutMs = 60_000) {
  return until(
    `environment ${environmentId} running`,
    async () => {
      const env = await db.environment.findUnique({ where: { id: environmentId }, select: { status: true, stateServerId: true } });
      return env?.status === "running" ? env : null;
    },
    timeoutMs,
    250,
  );
}

export { environmentPrefix };
