import { afterAll, beforeAll, expect, it } from "vitest";
import { bootstrapMembers, FakeController, freePorts } from "../testing/fake-controller";
import { ProcessFleet, until } from "../testing/process-fleet";

/**
 * The controller may give a new member the ports of one the agent is still
 * stopping (a removed server's ports going to the next cluster): the new member
 * waits until the old process has let go of them and starts once, instead of
 * failing to bind and climbing the crash-restart backoff. The old member is
 * frozen (SIGSTOP) so it holds its ports until the agent's SIGKILL after the
 * stop grace, as a busy or slow-to-exit member would.
 */
let controller: FakeController;
let fleet: ProcessFleet;
let ports: number[];

beforeAll(async () => {
  controller = await new FakeController(300).start();
  fleet = new ProcessFleet({ ETCD_BCRYPT_COST: "4" });
  ports = await freePorts(2);
  controller.desired.set("agent-reuse", bootstrapMembers(["m-old"], ports, `cluster-old-${process.pid}`));
  fleet.agent("agent-reuse", { controller: controller.url, token: "join-token-agent-reuse", failureDomain: "az-1", ports: "42200-42299" });
});

afterAll(async () => {
  await fleet?.dispose();
  await controller?.close();
});

const running = (id: string) => {
  const m = controller.member("agent-reuse", id);
  return m?.state === "running" && m.health ? m : undefined;
};

it("starts a member on the ports of one still stopping once they are free, with no crash restart", async () => {
  const old = await until("the old member running", async () => running("m-old"), 30_000);
  process.kill(old.pid!, "SIGSTOP");
  controller.desired.set("agent-reuse", bootstrapMembers(["m-new"], ports, `cluster-new-${process.pid}`));
  const fresh = await until("the new member running on the same ports", async () => running("m-new"), 60_000);
  expect(fresh.clientPort).toBe(ports[0]);
  expect(fresh.restarts ?? 0).toBe(0);
  expect(controller.member("agent-reuse", "m-old")).toBeUndefined();
}, 90_000);
