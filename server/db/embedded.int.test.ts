import { chmod, mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chooseDataDir } from "./embedded";

describe("chooseDataDir", () => {
  it("keeps the project's data folder once initdb has made it private (mode 700)", async () => {
    const project = await mkdtemp(path.join(tmpdir(), "statehouse-datadir-"));
    await chmod(project, 0o755);
    const before = await chooseDataDir(project, () => undefined);
    expect(before).toBe(path.join(project, ".data", "postgres"));
    await mkdir(path.dirname(before), { mode: 0o755 });
    await mkdir(before, { mode: 0o700 });
    // A second start must find the same cluster, not fall back to another folder.
    expect(await chooseDataDir(project, () => undefined)).toBe(before);
  });

  it("falls back outside the project when a folder above it is closed to others (root only)", async () => {
    const closed = await mkdtemp(path.join(tmpdir(), "statehouse-closed-"));
    await chmod(closed, 0o700);
    const chosen = await chooseDataDir(path.join(closed, "project"), () => undefined);
    if (process.getuid?.() === 0) expect(chosen.startsWith("/var/lib/statehouse/")).toBe(true);
    else expect(chosen).toBe(path.join(closed, "project", ".data", "postgres"));
  });
});
