import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { StateStore } from "./state-store";

const dir = mkdtempSync(path.join(os.tmpdir(), "statehouse-state-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the agent's state file", () => {
  it("survives a burst of concurrent saves (a clean stop saves once per exiting member): every save lands, the last one wins", async () => {
    const store = new StateStore<{ n: number; pad: string }>(path.join(dir, "agent.json"));
    // Sizes vary so that a torn or interleaved write would not parse.
    const saves = Array.from({ length: 60 }, (_, n) => store.save({ n, pad: "x".repeat((n * 7919) % 4000) }));
    const results = await Promise.allSettled(saves);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect((await store.read())?.n).toBe(59);
    expect(readdirSync(dir)).toEqual(["agent.json"]);
  });

  it("reads a missing file as null and creates the state dir on the first save", async () => {
    const store = new StateStore<{ ok: boolean }>(path.join(dir, "missing", "deeper", "agent.json"));
    expect(await store.read()).toBeNull();
    await store.save({ ok: true });
    expect(await store.read()).toEqual({ ok: true });
  });
});
