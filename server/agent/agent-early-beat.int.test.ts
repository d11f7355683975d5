import { afterAll, beforeAll, expect, it } from "vitest";
import { bootstrapMembers, FakeController, freePorts } from "../testing/fake-controller";
import { ProcessFleet, until } from "../testing/process-fleet";

/**
 * A member's change is reported at once, not at the next heartbeat: with a
 * 20 s heartbeat interval, the member the controller asked for is reported
 * running (with its health) by an early beat long before the second regular
 * one, which is what lets the controller take its next membership step
 * (enable auth, promote a learner) without waiting an interval per step.
 */
const INTERVAL_MS = 20_000;
let controller: FakeController;
let fleet: ProcessFleet;

beforeAll(async () => {
  controller = await new FakeController(INTERVAL_MS).start();
  fleet = new ProcessFleet({ ETCD_BCRYPT_COST: "4" });
  const [member] = bootstrapMembers(["m-early"], await freePorts(2), `cluster-early-${process.pid}`);
  controller.desired.set("agent-early", [member!]);
  fleet.agent("agent-early", { controller: controller.url, token: "join-token-agent-early", failureDomain: "az-1", ports: "42100-42199" });
});

afterAll(async () => {
  await fleet?.dispose();
  await controller?.close();
});

it("reports a member that starts answering by an early heartbeat, well before the next interval", async () => {
  const seen = await until(
    "the member reported running",
    async () => {
      const m = controller.member("agent-early", "m-early");
      return m?.state === "running" && m.health ? m : undefined;
    },
    INTERVAL_MS - 5_000,
  );
  expect(seen.health!.leaderId).toBe(seen.health!.memberId);
  const beats = controller.hosts.get("agent-early")!.beats;
  // The first beat fetched the desired member; the report came from an early one, long before first + interval.
  expect(beats.length).toBeGreaterThanOrEqual(2);
  expect(beats.at(-1)! - beats[0]!).toBeLessThan(INTERVAL_MS / 2);
}, 30_000);
