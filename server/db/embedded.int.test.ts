import { execFile, execFileSync } from "node:child_process";
import { chmod, cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../testing/ports";
import { until } from "../testing/process-fleet";
import { chooseDataDir, postgresAnswers, startEmbeddedPostgres, type EmbeddedDatabase } from "./embedded";
import { isRoot, packageBinaries, pgBinaries } from "./embedded-binaries";

const run = promisify(execFile);
const cleanup: string[] = [];
afterAll(async () => {
  for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
});

describe("chooseDataDir", () => {
  it("keeps the project's data folder once initdb has made it private (mode 700)", async () => {
    const project = await mkdtemp(path.join(tmpdir(), "statehouse-datadir-"));
    cleanup.push(project);
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
    cleanup.push(closed);
    await chmod(closed, 0o700);
    const chosen = await chooseDataDir(path.join(closed, "project"), () => undefined);
    if (isRoot()) expect(chosen.startsWith("/var/lib/statehouse/")).toBe(true);
    else expect(chosen).toBe(path.join(closed, "project", ".data", "postgres"));
  });
});

describe.runIf(isRoot() && process.platform === "linux" && process.arch === "x64")("embedded PostgreSQL as root", () => {
  it("copies binaries the postgres user cannot reach (a checkout under a mode-700 folder) to where it can, and they run", async () => {
    const closed = await mkdtemp(path.join(tmpdir(), "statehouse-private-"));
    const shared = await mkdtemp(path.join(tmpdir(), "statehouse-shared-"));
    cleanup.push(closed, shared);
    await chmod(closed, 0o700);
    await chmod(shared, 0o755);
    const installed = await packageBinaries();
    const root = path.join(closed, "checkout", "native");
    await cp(installed.root, root, { recursive: true, verbatimSymlinks: true });
    const pkg = { ...installed, root, initdb: path.join(root, "bin", "initdb"), postgres: path.join(root, "bin", "postgres") };
    const asPostgres = (binary: string) => run("runuser", ["-u", "postgres", "--", binary, "--version"]);
    await expect(asPostgres(pkg.postgres)).rejects.toThrow(/Permission denied/);

    const said: string[] = [];
    const binaries = await pgBinaries((m) => said.push(m), { sharedDir: shared, pkg });
    expect(binaries.postgres).toBe(path.join(shared, `postgres-${installed.version}`, "bin", "postgres"));
    expect(said.join("\n")).toMatch(/cannot reach .* copying the PostgreSQL binaries to/);
    expect((await asPostgres(binaries.postgres)).stdout).toMatch(/PostgreSQL/);
    expect((await asPostgres(binaries.initdb)).stdout).toMatch(/initdb/);
    // A second start uses the copy.
    said.length = 0;
    expect(await pgBinaries((m) => said.push(m), { sharedDir: shared, pkg })).toEqual(binaries);
    expect(said.join("\n")).toMatch(/running PostgreSQL from/);
  });
});

describe("embedded PostgreSQL, started again when it dies", () => {
  let pgServer: EmbeddedDatabase | undefined;
  afterAll(() => pgServer?.stop());

  it("comes back after kill -9, and stop() stops the one running then", async () => {
    const project = await mkdtemp(path.join(tmpdir(), "statehouse-embedded-"));
    cleanup.push(project);
    await chmod(project, 0o755);
    const port = await freePort();
    const said: string[] = [];
    pgServer = await startEmbeddedPostgres({ projectDir: project, port, database: "postgres", log: (m) => said.push(m), restart: true });
    expect(await postgresAnswers(pgServer.url)).toBe(true);
    const postmaster = () => Number((execFileSync("head", ["-1", path.join(pgServer!.dataDir, "postmaster.pid")]) + "").trim());
    const first = postmaster();
    process.kill(first, "SIGKILL");
    await until("Postgres started again", async () => (await postgresAnswers(pgServer!.url, 500)) && postmaster() !== first, 60_000, 300);
    expect(said.join("\n")).toMatch(/exited \(SIGKILL\): starting it again/);
    const second = postmaster();
    await pgServer.stop();
    pgServer = undefined;
    expect(() => process.kill(second, 0)).toThrow(); // gone: Ctrl-C's stop reaches the restarted one too
    expect(await postgresAnswers(`postgresql://postgres:statehouse@127.0.0.1:${port}/postgres`, 500)).toBe(false);
  }, 120_000);
});
