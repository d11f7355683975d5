import { Etcd3 } from "etcd3";
import type { Db } from "../db/client";
import { clientUrl } from "../etcd/client";
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
      memberId: true,
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

export async function endpointsOf(db: Db, stateServerId: string): Promise<string[]> {
  return (await memberRows(db, stateServerId)).filter((r) => r.port && r.host).map((r) => clientUrl(r.host!.address, r.port!));
}

/** An etcd client as the environment's user: its credential, its prefix, the server's endpoints. */
export function environmentClient(endpoints: string[], environmentId: string, credential: string): Etcd3 {
  return new Etcd3({
    hosts: endpoints,
    dialTimeout: 2000,
    auth: { username: environmentUser(environmentId), password: credential },
    defaultCallOptions: () => ({ deadline: Date.now() + 3000 }),
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
