import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../../prisma/demo-data";
import { seedDemo } from "../../../prisma/seed";
import { withEtcd } from "../../etcd/client";
import { environmentUser } from "../../etcd/environment-access";
import { callerAs, failure } from "../../testing/callers";
import { endpointsOf, environmentClient, environmentPrefix, untilRunning } from "../../testing/etcd-fleet";
import { readEnvironment, startEtcdWorld, writeKeys, type EtcdWorld } from "../../testing/etcd-world";
import { until } from "../../testing/process-fleet";
import { createWorld } from "../../testing/runtime-fixtures";
import { clusterRootAccess } from "../runtime/cluster-access";

/**
 * An environment's credential and removal act on its etcd cluster, through the
 * app's own procedures: rotation changes the etcd user's password (the old one
 * fails at once, even for a client already signed in), removal deletes the
 * prefix's keys, the user and the role, while another environment on the same
 * cluster keeps its data.
 */
let w: EtcdWorld;
const alice = DEMO_USERS.user.email;

beforeAll(async () => {
  w = await startEtcdWorld({
    zone: "env-data",
    domains: ["az-1", "az-2", "az-3"],
    servers: [],
  });
  await seedDemo(w.t.db);
  // Acme's environments on one 3-member cluster in this zone (the demo tenant, so alice is a member).
  const more = await createWorld(w.t.db, {
    zoneName: "env-data",
    tenantSlug: "acme",
    servers: [
      {
        name: "shared3",
        replicas: 3,
        environments: [
          { name: "prod", stage: "production" },
          { name: "stage", stage: "staging" },
        ],
      },
    ],
  });
  w.world.environments.push(...more.environments);
  w.world.servers.push(...more.servers);
}, 120_000);

afterAll(async () => {
  await w?.close();
});

const [PROD, STAGE] = [0, 1];
const env = (i: number) => w.world.environments[i]!;

async function rootView(stateServerId: string, environmentId: string) {
  return until(
    "the cluster's view as root",
    async () =>
      withEtcd(await clusterRootAccess(w.t.db, stateServerId), async (root) => ({
        keys: await root.getAll().prefix(environmentPrefix(environmentId)).keys(),
        users: (await root.getUsers()).map((u) => u.name),
        roles: (await root.getRoles()).map((r) => r.name),
      })),
    30_000,
    300,
  );
}

describe("environment credential and removal on its etcd cluster", () => {
  it("rotation: the old password fails at once (also for a signed-in client), the new one works", async () => {
    await untilRunning(w.t.db, env(PROD).id, 120_000);
    await untilRunning(w.t.db, env(STAGE).id, 60_000);
    const endpoints = await endpointsOf(w.t.db, env(PROD).stateServerId);
    const signedIn = environmentClient(endpoints, env(PROD).id, env(PROD).credential);
    try {
      await signedIn.put(`${environmentPrefix(env(PROD).id)}before-rotation`).value("1");
      const caller = await callerAs(w.t.db, alice);
      const rotated = await caller.environment.rotateCredential({ id: env(PROD).id });
      expect(rotated.credential).not.toBe(env(PROD).credential);
      // The client signed in with the old password is refused on its next call, without waiting for a token to expire.
      await expect(signedIn.get(`${environmentPrefix(env(PROD).id)}before-rotation`).string()).rejects.toThrow();
      const fresh = environmentClient(endpoints, env(PROD).id, env(PROD).credential);
      await expect(fresh.put(`${environmentPrefix(env(PROD).id)}x`).value("y")).rejects.toThrow();
      fresh.close();
      const renewed = environmentClient(endpoints, env(PROD).id, rotated.credential);
      try {
        expect(await renewed.get(`${environmentPrefix(env(PROD).id)}before-rotation`).string()).toBe("1");
      } finally {
        renewed.close();
      }
      env(PROD).credential = rotated.credential;
      const audit = await w.t.db.auditEvent.findFirstOrThrow({
        where: { action: "environment.credential_rotate", targetId: env(PROD).id },
      });
      expect(JSON.stringify([audit.before, audit.after, audit.reason])).not.toContain(rotated.credential);
      const viewer = await callerAs(w.t.db, "vera@acme.test");
      expect((await failure(viewer.environment.rotateCredential({ id: env(PROD).id }))).code).toBe("FORBIDDEN");
    } finally {
      signedIn.close();
    }
  }, 180_000);

  it("removal deletes the prefix's keys, user and role; the other environment on the cluster keeps its data", async () => {
    const server = env(PROD).stateServerId;
    const endpoints = await endpointsOf(w.t.db, server);
    const prodClient = environmentClient(endpoints, env(PROD).id, env(PROD).credential);
    const stageClient = environmentClient(endpoints, env(STAGE).id, env(STAGE).credential);
    let stageKeys: Map<string, string>;
    try {
      await writeKeys(prodClient, env(PROD).id, "doomed", 50);
      stageKeys = await writeKeys(stageClient, env(STAGE).id, "kept", 50);
    } finally {
      prodClient.close();
      stageClient.close();
    }
    const before = await rootView(server, env(PROD).id);
    expect(before.keys.length).toBeGreaterThanOrEqual(50);
    expect(before.users).toContain(environmentUser(env(PROD).id));

    const caller = await callerAs(w.t.db, alice);
    expect((await caller.environment.remove({ id: env(PROD).id, confirmName: "prod" })).status).toBe("removing");
    await until("the environment row is gone", async () => !(await w.t.db.environment.findUnique({ where: { id: env(PROD).id } })), 60_000);
    const after = await rootView(server, env(PROD).id);
    expect(after.keys).toEqual([]);
    expect(after.users).not.toContain(environmentUser(env(PROD).id));
    expect(after.roles).not.toContain(environmentUser(env(PROD).id));
    expect(after.users).toContain(environmentUser(env(STAGE).id));

    const read = await readEnvironment(w.t, env(STAGE).id, env(STAGE).credential);
    for (const [key, value] of stageKeys) expect(read.get(key)).toBe(value);
  }, 180_000);
});
