import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Etcd3 } from "etcd3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObservedMember } from "../contracts/agent";
import { bootstrapMembers, FakeController, freePorts } from "../testing/fake-controller";
import { ProcessFleet, until } from "../testing/process-fleet";
import { pidAlive } from "./member-process";

/**
 * Real agent processes running real etcd members, told what to run by a test
 * controller: bootstrap a 3-member cluster across 3 agents, survive kill -9 of
 * a member (same ports, same data dir, same member id), stop and wipe a member
 * no longer wanted, and adopt members after kill -9 of the agent.
 */
let controller: FakeController;
let fleet: ProcessFleet;
const AGENTS = ["agent-a", "agent-b", "agent-c"];
const IDS = ["m-a", "m-b", "m-c"];

const startAgent = (name: string, i: number) =>
  fleet.agent(name, { controller: controller.url, token: `join-token-${name}`, failureDomain: `az-${i}`, ports: "42000-42099" });

/** Pids of etcd processes running member `id` (by command line). */
function etcdPids(id: string): number[] {
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0").includes(`--name=${id}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const running = (m: ObservedMember | undefined) => (m?.state === "running" && m.health ? m : undefined);
const ROOT = { username: "root", password: "root-password" };
const client = (ports: number[], auth?: typeof ROOT) =>
  new Etcd3({ hosts: ports.map((p) => `http://127.0.0.1:${p}`), dialTimeout: 2000, ...(auth ? { auth } : {}) });

beforeAll(async () => {
  controller = await new FakeController(500).start();
  fleet = new ProcessFleet({ ETCD_BCRYPT_COST: "4" });
  const members = bootstrapMembers(IDS, await freePorts(6), `cluster-${process.pid}`);
  AGENTS.forEach((a, i) => controller.desired.set(a, [members[i]!]));
  AGENTS.forEach(startAgent);
});

afterAll(async () => {
  await fleet?.dispose();
  await controller?.close();
});

describe("host agents running etcd members", () => {
  let before: Map<string, ObservedMember>;

  it("bootstraps a 3-member cluster across 3 agents: all running, one leader, reported in the heartbeat", async () => {
    before = await until(
      "three running members that agree on a leader",
      async () => {
        const seen = AGENTS.map((a, i) => running(controller.member(a, IDS[i]!)));
        if (seen.some((m) => !m)) return undefined;
        const leaders = new Set(seen.map((m) => m!.health!.leaderId));
        const ids = new Set(seen.map((m) => m!.health!.memberId));
        return leaders.size === 1 && ids.has([...leaders][0]!) && ids.size === 3 ? new Map(seen.map((m) => [m!.id, m!])) : undefined;
      },
      40_000,
    );
    expect(controller.refusals).toEqual([]);
    for (const [i, a] of AGENTS.entries()) {
      const join = controller.hosts.get(a)!.join;
      expect(join).toMatchObject({ portFrom: 42_000, portTo: 42_099 });
      expect(join.installKey).toMatch(/^[\w-]{20,}$/);
      expect(before.get(IDS[i]!)!.health).toMatchObject({ isLearner: false, alarms: [] });
    }
    const etcd = client([...before.values()].map((m) => m.clientPort));
    await etcd.put("survives").value("yes");
    // Auth on, as on every real cluster: Status (the health the agents report from now on) needs no credentials.
    await etcd.user(ROOT.username).create(ROOT.password);
    await etcd.user(ROOT.username).addRole("root");
    await etcd.auth.authEnable();
    etcd.close();
  });

  it("restarts a kill -9'd member on the same ports and data dir: same member id, data intact", async () => {
    const old = before.get("m-a")!;
    process.kill(old.pid!, "SIGKILL");
    const back = await until(
      "m-a restarted",
      async () => {
        const m = running(controller.member("agent-a", "m-a"));
        return m && m.pid !== old.pid && m.restarts! >= 1 ? m : undefined;
      },
      30_000,
    );
    expect(back).toMatchObject({ clientPort: old.clientPort, peerPort: old.peerPort, restarts: 1 });
    expect(back.health!.memberId).toBe(old.health!.memberId);
    const etcd = client([back.clientPort], ROOT);
    expect(await etcd.get("survives").string()).toBe("yes");
    etcd.close();
  });

  it("adopts its members after kill -9 of the agent: same pid, no second etcd", async () => {
    const old = before.get("m-b")!;
    fleet.killProcessOnly("agent:agent-b");
    const beatsBefore = controller.hosts.get("agent-b")!.beats.length;
    startAgent("agent-b", 1);
    await until(
      "the restarted agent's heartbeat",
      async () => controller.hosts.get("agent-b")!.beats.length > beatsBefore + 2 && running(controller.member("agent-b", "m-b")),
      30_000,
    );
    expect(controller.member("agent-b", "m-b")).toMatchObject({ pid: old.pid, restarts: 0, clientPort: old.clientPort });
    expect(controller.hosts.get("agent-b")!.joins).toBe(1);
    expect(etcdPids("m-b")).toEqual([old.pid]);
    // Not its child, still its member: a crash of the adopted process is seen and restarted like any other.
    process.kill(old.pid!, "SIGKILL");
    const back = await until(
      "the adopted m-b restarted",
      async () => {
        const m = running(controller.member("agent-b", "m-b"));
        return m && m.pid !== old.pid ? m : undefined;
      },
      30_000,
    );
    expect(back).toMatchObject({ restarts: 1, clientPort: old.clientPort });
    expect(back.health!.memberId).toBe(old.health!.memberId);
  });

  it("stops a member no longer desired and wipes its data dir", async () => {
    const old = before.get("m-c")!;
    const dataDir = path.join(fleet.stateDir, "agent-c", "members", "m-c");
    expect(existsSync(path.join(dataDir, "member"))).toBe(true);
    controller.desired.set("agent-c", []);
    await until("m-c gone from the heartbeat", async () => controller.hosts.get("agent-c")!.observed.length === 0, 20_000);
    await until("m-c's process and data gone", async () => !pidAlive(old.pid!) && !existsSync(dataDir), 10_000);
    expect(etcdPids("m-c")).toEqual([]);
    expect(readdirSync(path.dirname(dataDir))).toEqual([]);
  });
});
