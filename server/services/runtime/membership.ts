import { isLiveHost } from "../../core/model";
import { randomBytes } from "node:crypto";
import { planMembership, type MembershipAction, type MemberReplica } from "../../core/reconcile";
import type { Db } from "../../db/client";
import { lockForTransaction } from "../../db/locks";
import {
  addLearner,
  enableAuth,
  listMembers,
  promoteMember,
  removeMember,
  RetryLater,
  rootAccess,
  type RootCredential,
} from "../../etcd/cluster-admin";
import type { Etcd3 } from "etcd3";
import { withEtcd } from "../../etcd/client";
import { memberUrl } from "../../contracts/member-url";
import { rootEndpoints } from "./cluster-access";
import { controlPlaneTls, ensureAuthority, isTlsCluster, memberCertificate } from "./cluster-tls";
import type { Tx } from "../../db/client";
import { seal, unseal } from "../../etcd/secret-box";
import { controllerActor } from "../actor";
import { recordAudit } from "../audit";
import { allocateMemberPorts } from "./member-ports";
import { HEARTBEAT_INTERVAL_MS, MISSED_HEARTBEATS } from "./settings";

const HEALTHY = ["running", "learner"];
/** A retiring member's last report counts while it is this fresh (its agent reports it every beat until it is removed). */
const RETIRING_HEALTH_MS = MISSED_HEARTBEATS * HEARTBEAT_INTERVAL_MS;

/**
 * Whether a row's member answers with a leader. A retiring (stopping) row keeps
 * its last state word, so its health is its fresh report: a retiring member
 * still votes, and not counting it made a cluster that lost another host in
 * the middle of a move wait for ever on "quorum lost" while it had a majority.
 */
function answers(r: ServerRow["replicaRows"][number], now: number): boolean {
  if (r.state !== "stopping") return HEALTHY.includes(r.state);
  return Boolean(r.memberId && !r.failureReason && r.healthAt && now - r.healthAt.getTime() <= RETIRING_HEALTH_MS);
}

const serverSelect = {
  id: true,
  name: true,
  replicas: true,
  clusterState: true,
  rootSealed: true,
  caCert: true,
  caKeySealed: true,
  membershipNote: true,
  replicaRows: {
    select: {
      id: true,
      ordinal: true,
      state: true,
      port: true,
      peerPort: true,
      memberId: true,
      initialCluster: true,
      tlsCert: true,
      failureReason: true,
      healthAt: true,
      host: { select: { state: true, address: true } },
    },
  },
} as const;

type ServerRow = Awaited<ReturnType<typeof loadServers>>[number];

const loadServers = (db: Db) => db.stateServer.findMany({ select: serverSelect, orderBy: { id: "asc" } });

/** A cluster needs no membership work: every desired member votes, is healthy and known, nothing leaves. */
function settled(server: ServerRow): boolean {
  if (server.clusterState !== "ready") return false;
  const rows = server.replicaRows;
  return (
    rows.length === server.replicas &&
    rows.every((r) => r.state === "running" && r.memberId && r.host && isLiveHost(r.host.state) && r.host.state !== "draining")
  );
}

const endpointsOf = (server: ServerRow) => rootEndpoints(server.replicaRows);

/** The member could not be asked at all (down, not serving yet, a learner): another may answer. */
const UNREACHABLE = /ECONNREFUSED|ECONNRESET|No connection established|not supported for learner|deadline exceeded/i;

/**
 * Runs a root call against the cluster one member at a time, in rootEndpoints
 * order, moving on when a member cannot be asked (a dead member, one still
 * starting, a learner); any other answer (including etcd refusing the change)
 * is final for this pass. One dead endpoint among three no longer fails a
 * random share of the controller's calls.
 */
async function withRoot<T>(endpoints: string[], credential: RootCredential, fn: (root: Etcd3) => Promise<T>): Promise<T> {
  let lastError: unknown = new RetryLater("no member of the cluster to ask");
  for (const endpoint of endpoints) {
    try {
      return await withEtcd(rootAccess([endpoint], credential), fn);
    } catch (error) {
      if (!UNREACHABLE.test(error instanceof Error ? error.message : String(error))) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

export interface MembershipPassResult {
  changes: { stateServer: string; action: MembershipAction["kind"]; detail: string }[];
  errors: { stateServer: string; error: string }[];
}

/**
 * The controller's membership pass, after the placement pass: ports for newly
 * placed rows, then per cluster the pure plan (server/core/reconcile/membership.ts)
 * and its one change, made through etcd with the cluster's root credential and
 * then recorded. A crash between the two is healed by the next pass, which reads
 * etcd's member list again (level-triggered).
 */
export async function reconcileMembership(db: Db, actorId: string): Promise<MembershipPassResult> {
  await db.$transaction(async (tx) => {
    await lockForTransaction(tx, "reconcileApply");
    await allocateMemberPorts(tx);
  });
  const result: MembershipPassResult = { changes: [], errors: [] };
  for (const server of await loadServers(db)) {
    if (!server.replicaRows.length || settled(server)) continue;
    try {
      const detail = await reconcileCluster(db, server, actorId);
      if (detail) result.changes.push({ stateServer: server.name, ...detail });
      // A cluster that just became ready: its rows learn their member ids now, before the next pass's status
      // step can call an environment on it running (a race an integration test caught once in three CI runs).
      if (detail?.action === "enable-auth") {
        const ready = await db.stateServer.findUniqueOrThrow({ where: { id: server.id }, select: serverSelect });
        await reconcileCluster(db, ready, actorId, { bookkeepingOnly: true });
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result.errors.push({ stateServer: server.name, error: message });
      await note(db, server, `${error instanceof RetryLater ? "waiting" : "failed"}: ${message.slice(0, 200)}`);
    }
  }
  return result;
}

async function note(db: Db, server: ServerRow, text: string) {
  if (server.membershipNote !== text) await db.stateServer.update({ where: { id: server.id }, data: { membershipNote: text } });
}

async function reconcileCluster(db: Db, server: ServerRow, actorId: string, options = { bookkeepingOnly: false }) {
  const endpoints = endpointsOf(server);
  const tls = controlPlaneTls(server);
  const root: RootCredential | null = server.rootSealed ? { password: unseal(server.rootSealed), ...(tls ? { tls } : {}) } : null;
  const members =
    server.clusterState === "ready" && root && endpoints.length ? await withRoot(endpoints, root, listMembers).catch(() => null) : null;
  const rows: MemberReplica[] = server.replicaRows.map((r) => ({
    id: r.id,
    ordinal: r.ordinal,
    hostState: r.host?.state ?? null,
    state: r.state,
    peerUrl: r.host && r.peerPort ? memberUrl(r.host.address, r.peerPort, isTlsCluster(server)) : null,
    memberId: r.memberId,
    startable: r.initialCluster !== null,
    healthy: answers(r, Date.now()),
  }));
  const plan = planMembership({ stateServer: server.id, clusterState: server.clusterState, replicas: server.replicas, rows, members });
  if (plan.record.length || plan.discard.length) {
    const names = new Map((members ?? []).map((m) => [m.id, m]));
    await db.$transaction(async (tx) => {
      for (const r of plan.record) {
        const row = server.replicaRows.find((x) => x.id === r.replica)!;
        // Added by a pass that died before recording it: the member list gives its start flags.
        const initialCluster =
          row.initialCluster ??
          [...names.values()].map((m) => `${m.name || rows.find((x) => x.peerUrl === m.peerUrls[0])?.id}=${m.peerUrls[0]}`).join(",");
        await tx.replica.update({
          where: { id: r.replica },
          data: {
            memberId: r.memberId,
            initialCluster,
            ...(row.initialCluster ? {} : { initialClusterState: "existing", ...(await certificateFor(tx, server, row.id)) }),
          },
        });
      }
      if (plan.discard.length) await tx.replica.deleteMany({ where: { id: { in: plan.discard } } });
    });
  }
  const action = plan.action;
  if (!action || options.bookkeepingOnly) return null;
  if (action.kind === "wait") {
    await note(db, server, action.reason);
    return null;
  }
  const detail = await applyAction(db, server, action, endpoints, root);
  await db.$transaction(async (tx) => {
    await tx.stateServer.update({ where: { id: server.id }, data: { membershipNote: detail } });
    await recordAudit(tx, {
      ...controllerActor(actorId),
      action: `state_server.member_${action.kind.replace("-", "_")}`,
      targetType: "state_server",
      targetId: server.id,
      after: { detail },
    });
  });
  return { action: action.kind, detail };
}

/** A row's certificate, issued when it gets its start flags (TLS clusters only, and once per row). */
async function certificateFor(db: Db | Tx, server: ServerRow, replicaId: string) {
  const row = server.replicaRows.find((r) => r.id === replicaId);
  if (!row?.host || row.tlsCert || !isTlsCluster(server)) return {};
  return memberCertificate(await ensureAuthority(db, server), replicaId, row.host.address);
}

async function applyAction(db: Db, server: ServerRow, action: MembershipAction, endpoints: string[], root: RootCredential | null) {
  switch (action.kind) {
    case "wait":
      return action.reason;
    case "bootstrap": {
      const sealed = server.rootSealed ?? seal(randomBytes(24).toString("base64url"));
      await db.$transaction(async (tx) => {
        for (const r of action.rows) {
          await tx.replica.update({
            where: { id: r.replica },
            data: { initialCluster: action.initialCluster, initialClusterState: "new", ...(await certificateFor(tx, server, r.replica)) },
          });
        }
        await tx.stateServer.update({ where: { id: server.id }, data: { clusterState: "bootstrapping", rootSealed: sealed } });
      });
      return `bootstrapping a ${action.rows.length}-member cluster`;
    }
    case "enable-auth": {
      await enableAuth(endpoints, root!);
      await db.stateServer.update({ where: { id: server.id }, data: { clusterState: "ready" } });
      return "cluster ready: auth enabled, root credential held by the control plane";
    }
    case "remove": {
      await withRoot(endpoints, root!, (client) => removeMember(client, action.memberId));
      if (action.replica) {
        const row = server.replicaRows.find((r) => r.id === action.replica)!;
        // A member lost with its host: the row goes (the host, if it returns, wipes the member).
        // A retired member on a live host: its agent now stops it and wipes its data dir.
        if (!row.host || !isLiveHost(row.host.state)) await db.replica.delete({ where: { id: row.id } });
        else await db.replica.update({ where: { id: row.id }, data: { memberId: null, state: "stopping" } });
      }
      return `removed member ${action.memberId} (${action.reason})`;
    }
    case "promote": {
      await withRoot(endpoints, root!, (client) => promoteMember(client, action.memberId, root!));
      await db.replica.update({ where: { id: action.replica }, data: { isLearner: false } });
      return `promoted learner ${action.memberId} to voting member`;
    }
    case "add-learner": {
      const certificate = await certificateFor(db, server, action.replica);
      const memberId = await withRoot(endpoints, root!, (client) => addLearner(client, action.peerUrl));
      await db.replica.update({
        where: { id: action.replica },
        data: { memberId, initialCluster: action.initialCluster, initialClusterState: "existing", isLearner: true, ...certificate },
      });
      return `added learner ${memberId} at ${action.peerUrl}`;
    }
  }
}
