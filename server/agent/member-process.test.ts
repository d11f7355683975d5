import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { etcdArgs, memberFiles, memberIdsOnDisk, prepareDataDir, wipeMember, type StartableMember } from "./member-process";

const dir = mkdtempSync(path.join(os.tmpdir(), "statehouse-member-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const member = (clusterToken: string, initialCluster = "m1=http://127.0.0.1:2380"): StartableMember => ({
  id: "m1",
  stateServerId: "ss1",
  ordinal: 0,
  clientPort: 2379,
  peerPort: 2380,
  address: "127.0.0.1",
  clusterToken,
  initialCluster,
  initialClusterState: "existing",
});

describe("an etcd member's files and flags", () => {
  it("keeps a data dir made for the same cluster, even when the controller sends another initial cluster later", async () => {
    const files = memberFiles(path.join(dir, "keep"), "m1");
    expect(await prepareDataDir(member("token-a"), files)).toEqual({ wiped: false });
    mkdirSync(path.join(files.dataDir, "member"), { recursive: true });
    writeFileSync(path.join(files.dataDir, "member", "wal"), "data");
    expect(await prepareDataDir(member("token-a", "m1=http://127.0.0.1:2380,m2=http://127.0.0.1:2390"), files)).toEqual({ wiped: false });
    expect(readFileSync(path.join(files.dataDir, "member", "wal"), "utf8")).toBe("data");
  });

  it("wipes a data dir made for another cluster, or of unknown origin, before the member starts", async () => {
    const files = memberFiles(path.join(dir, "wipe"), "m1");
    await prepareDataDir(member("token-a"), files);
    mkdirSync(path.join(files.dataDir, "member"), { recursive: true });
    expect(await prepareDataDir(member("token-b"), files)).toEqual({ wiped: true });
    expect(existsSync(path.join(files.dataDir, "member"))).toBe(false);
    expect(JSON.parse(readFileSync(files.identityFile, "utf8"))).toMatchObject({ clusterToken: "token-b" });
    rmSync(files.identityFile);
    mkdirSync(path.join(files.dataDir, "member"), { recursive: true });
    expect(await prepareDataDir(member("token-b"), files)).toEqual({ wiped: true });
    expect(existsSync(path.join(files.dataDir, "member"))).toBe(false);
  });

  it("wipes every file of a removed member and lists members on disk by id", async () => {
    const membersDir = path.join(dir, "list");
    const files = memberFiles(membersDir, "m1");
    await prepareDataDir(member("token-a"), files);
    writeFileSync(files.logFile, "log");
    mkdirSync(path.join(membersDir, "m2"));
    expect((await memberIdsOnDisk(membersDir)).sort()).toEqual(["m1", "m2"]);
    await wipeMember(files);
    expect(await memberIdsOnDisk(membersDir)).toEqual(["m2"]);
    expect(() => memberFiles(membersDir, "../escape")).toThrow(/unsafe member id/);
  });

  it("starts etcd with the controller's name, ports and cluster flags", () => {
    const args = etcdArgs(member("token-a"), "/data/m1");
    expect(args).toEqual(
      expect.arrayContaining([
        "--name=m1",
        "--data-dir=/data/m1",
        "--listen-client-urls=http://127.0.0.1:2379",
        "--advertise-client-urls=http://127.0.0.1:2379",
        "--listen-peer-urls=http://127.0.0.1:2380",
        "--initial-advertise-peer-urls=http://127.0.0.1:2380",
        "--initial-cluster=m1=http://127.0.0.1:2380",
        "--initial-cluster-state=existing",
        "--initial-cluster-token=token-a",
      ]),
    );
  });
});
