import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { etcdArgs, memberFiles, memberIdsOnDisk, prepareDataDir, wipeMember, type StartableMember } from "./member-process";
import { writeMemberTls } from "./member-tls";

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
    await writeMemberTls(files, { ca: "ca", cert: "cert", key: "key" });
    mkdirSync(path.join(membersDir, "m2"));
    writeFileSync(memberFiles(membersDir, "m3").caFile, "ca");
    expect((await memberIdsOnDisk(membersDir)).sort()).toEqual(["m1", "m2", "m3"]);
    expect(statSync(files.keyFile).mode & 0o777).toBe(0o600);
    await wipeMember(files);
    expect((await memberIdsOnDisk(membersDir)).sort()).toEqual(["m2", "m3"]);
    expect(() => memberFiles(membersDir, "../escape")).toThrow(/unsafe member id/);
  });

  it("starts etcd with the controller's name, ports and cluster flags", () => {
    const args = etcdArgs(member("token-a"), memberFiles("/data", "m1"));
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
    expect(args.some((a) => a.includes("cert"))).toBe(false);
  });

  it("starts a member of a TLS cluster on https, admitting only certificates of its authority", () => {
    const spec = { ...member("token-a"), initialCluster: "m1=https://127.0.0.1:2380" };
    const args = etcdArgs(spec, memberFiles("/data", "m1"));
    expect(args).toEqual(
      expect.arrayContaining([
        "--listen-client-urls=https://127.0.0.1:2379",
        "--advertise-client-urls=https://127.0.0.1:2379",
        "--listen-peer-urls=https://127.0.0.1:2380",
        "--initial-advertise-peer-urls=https://127.0.0.1:2380",
        "--cert-file=/data/m1.crt",
        "--key-file=/data/m1.key",
        "--trusted-ca-file=/data/m1.ca.crt",
        "--client-cert-auth",
        "--peer-cert-file=/data/m1.crt",
        "--peer-key-file=/data/m1.key",
        "--peer-trusted-ca-file=/data/m1.ca.crt",
        "--peer-client-cert-auth",
      ]),
    );
  });
});
