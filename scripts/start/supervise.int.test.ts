import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../server/testing/db";
import { until } from "../../server/testing/process-fleet";
import { startControllers, type Supervised } from "./supervise";

/**
 * npm start's controllers (scripts/start/supervise.ts), as real processes on a
 * real database: one leads, the other stands by; kill -9 of the leader makes
 * the standby lead, and the dead one is started again (and stands by).
 */
let t: TestDatabase;
let controllers: Supervised[] = [];
const output = new Map<string, string>();
const said: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(controllers.map((c) => c.stop()));
  await t.drop();
});

/** Which controller said "became leader" last (its JSON log lines name it). */
function leader(): string | undefined {
  let last: { name: string; at: number } | undefined;
  for (const [name, text] of output) {
    const at = text.lastIndexOf('"msg":"became leader"');
    if (at >= 0 && (!last || at > last.at)) last = { name, at };
  }
  return last?.name;
}

describe("npm start's controllers", () => {
  it("a standby takes the lead when the leader is killed, and the killed one is started again", async () => {
    controllers = startControllers(t.url, (m) => said.push(m), {
      stdio: "pipe",
      backoffMs: 200,
      env: { STATEHOUSE_RECONCILE_MS: "300", CONTROLLER_JOBS: "0", LOG_LEVEL: "warn" },
      // Each name's output, appended (a restarted process adds to its name's record).
      onOutput: (name, text) => output.set(name, (output.get(name) ?? "") + text),
    });
    const names = ["controller-1", "controller-2"];
    const first = await until("a leader", async () => leader(), 60_000, 200);
    const leading = controllers[names.indexOf(first)]!;
    const standby = names.find((n) => n !== first)!;
    const killedPid = leading.pid!;
    // Only one leads.
    expect((output.get(standby) ?? "").includes("became leader")).toBe(false);

    output.set(first, "");
    process.kill(killedPid, "SIGKILL");
    await until("the standby leads", async () => (output.get(standby) ?? "").includes('"msg":"became leader"'), 30_000, 200);
    await until("the killed controller started again", async () => leading.restarts === 1 && leading.pid !== killedPid, 30_000, 100);
    expect(said.join("\n")).toMatch(new RegExp(`${first} exited \\(SIGKILL\\): starting it again`));
    // The restarted one is alive and stands by (the lease is the standby's now).
    await new Promise((r) => setTimeout(r, 1500));
    expect(() => process.kill(leading.pid!, 0)).not.toThrow();
    expect(output.get(first) ?? "").not.toContain('"msg":"became leader"');
  }, 120_000);
});
