import type { Db } from "../../server/db/client";
import { ProcessFleet, until } from "../../server/testing/process-fleet";
import { reservePortRange } from "../../server/testing/ports";
import { createWorld, joinTokens } from "../../server/testing/runtime-fixtures";
import { TRIALS } from "./fleet-settings";

/**
 * Host loss with a real fleet (six agents through the agent API, a controller,
 * real replicas): kill -9 of an agent's process group per trial, timed until
 * every affected replica runs on another host as a voting etcd member; the
 * host is brought back between trials. Hosts holding the only member of a
 * 1-replica server are not killed: that cluster has no other copy of its data,
 * so it waits for its host (unavailable), it does not fail over. Returns the times (ms).
 */
export async function hostLossTrials(
  db: Db,
  url: string,
  agentApiUrl: string,
  cleanups: (() => Promise<void> | void)[],
): Promise<number[]> {
  const world = await createWorld(db, {
    zoneName: "shared-east",
    tenantSlug: "bench",
    servers: [
      { name: "b-ha3-a", replicas: 3, environments: [{ name: "prod-a", stage: "production" }] },
      { name: "b-ha3-b", replicas: 3, environments: [{ name: "prod-b", stage: "production" }] },
      { name: "b-ha1", replicas: 1, environments: [{ name: "dev", stage: "development" }] },
    ],
  });
  const fleet = new ProcessFleet({ DATABASE_URL: url, LOG_LEVEL: "warn" });
  cleanups.push(() => fleet.killAll());
  const names = ["fleet-1a", "fleet-2a", "fleet-3a", "fleet-1b", "fleet-2b", "fleet-3b"];
  const tokens = await joinTokens(db, world.zoneId, names.length);
  // Member ports below the kernel's ephemeral range (the load phases before this one leave thousands of
  // client sockets there) and in blocks no other test or bench on this machine holds.
  const portBase = reservePortRange(names.length * 100);
  const ports = (i: number) => `${portBase + i * 100}-${portBase + i * 100 + 99}`;
  const fd = (name: string) => `az-${name[6]}`;
  names.forEach((n, i) => fleet.agent(n, { controller: agentApiUrl, token: tokens[i], failureDomain: fd(n), ports: ports(i) }));
  fleet.controller("bench-controller");
  const running = () => db.replica.count({ where: { state: "running", host: { state: "ready" } } });
  await until("demo fleet running", async () => (await running()) === 7, 60_000, 200);
  const times: number[] = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    const withReplicas = await db.host.findMany({
      where: { state: "ready", replicas: { some: { state: "running" }, none: { stateServer: { replicas: 1 } } } },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
    });
    const victim = withReplicas[trial % withReplicas.length]!;
    const affected = await db.replica.findMany({ where: { hostId: victim.id }, select: { stateServerId: true, ordinal: true } });
    const t0 = Date.now();
    fleet.kill9(`agent:${victim.name}`);
    await until(
      "affected replicas running elsewhere",
      async () => {
        const rows = await db.replica.findMany({
          where: {
            OR: affected.map((a) => ({ stateServerId: a.stateServerId, ordinal: a.ordinal })),
            state: "running",
            hostId: { not: victim.id },
          },
          select: { stateServerId: true, ordinal: true },
        });
        return new Set(rows.map((r) => `${r.stateServerId}#${r.ordinal}`)).size === affected.length;
      },
      120_000,
      50,
    );
    times.push(Date.now() - t0);
    console.log(`  trial ${trial + 1}: ${victim.name} (${affected.length} replicas) -> running elsewhere in ${times.at(-1)} ms`);
    // Bring the host back (its state file holds the credential) and wait for it to be ready again.
    fleet.agent(victim.name, { controller: agentApiUrl, failureDomain: fd(victim.name), ports: ports(names.indexOf(victim.name)) });
    await until("host back", async () => (await db.host.findUniqueOrThrow({ where: { id: victim.id } })).state === "ready", 30_000, 200);
    await until("fleet converged", async () => (await running()) === 7, 120_000, 200);
  }
  await fleet.stopAll();
  return times;
}
