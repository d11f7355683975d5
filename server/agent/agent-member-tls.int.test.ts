import { readFileSync, statSync } from "node:fs";
import { request } from "node:https";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DesiredMember, ObservedMember, TlsMaterial } from "../contracts/agent";
import { withEtcd } from "../etcd/client";
import { certificateFingerprint, issueCertificate, newAuthority } from "../etcd/pki";
import { bootstrapMembers, FakeController, freePorts } from "../testing/fake-controller";
import { ProcessFleet, until } from "../testing/process-fleet";
import { memberFiles } from "./member-process";

/**
 * A real agent running a member of a TLS cluster (https peer URLs), told what
 * to run by a test controller: it starts the member only once the material
 * arrives, reports holding it, never writes the key into its state file, and
 * asks the member (which admits no caller without a certificate of the
 * cluster's authority) for its health with the member's own certificate.
 */
let controller: FakeController;
let fleet: ProcessFleet;
const AGENT = "agent-tls";
const authority = newAuthority("statehouse-agent-tls-test");
const issued = issueCertificate(authority, { holder: "member-m-tls", hosts: ["127.0.0.1"], server: true, client: true });
const tls: TlsMaterial = { ca: authority.certPem, cert: issued.certPem, key: issued.keyPem };
let spec: DesiredMember;

const startAgent = () =>
  fleet.agent(AGENT, { controller: controller.url, token: `join-token-${AGENT}`, failureDomain: "az-1", ports: "42000-42099" });
const running = (m: ObservedMember | undefined) => (m?.state === "running" && m.health ? m : undefined);

/** A POST to the member's JSON gateway as a stranger (no client certificate): how it was refused, or the status code. */
const asStranger = (port: number) =>
  new Promise<string>((resolve) => {
    const req = request(
      `https://127.0.0.1:${port}/v3/cluster/member/list`,
      { method: "POST", ca: tls.ca, signal: AbortSignal.timeout(3000) },
      (res) => resolve(String(res.statusCode)),
    );
    req.on("error", (error) => resolve(`refused: ${error.message}`));
    req.end("{}");
  });

beforeAll(async () => {
  controller = await new FakeController(300).start();
  fleet = new ProcessFleet({ ETCD_BCRYPT_COST: "4" });
  const [clientPort, peerPort] = await freePorts(2);
  const [plain] = bootstrapMembers(["m-tls"], [clientPort!, peerPort!], `tls-${process.pid}`);
  spec = { ...plain!, initialCluster: plain!.initialCluster!.replace("http://", "https://") };
  controller.desired.set(AGENT, [spec]);
  startAgent();
});

afterAll(async () => {
  await fleet?.dispose();
  await controller?.close();
});

describe("an agent running a member of a TLS cluster", () => {
  it("does not start the member before its certificate arrives", async () => {
    await until("three heartbeats", async () => (controller.hosts.get(AGENT)?.beats.length ?? 0) >= 3, 20_000);
    expect(controller.hosts.get(AGENT)!.observed).toEqual([]);
  });

  it("starts it with the material, reports the certificate it holds, and keeps the key out of its state file", async () => {
    controller.desired.set(AGENT, [{ ...spec, tls }]);
    const member = await until("the TLS member running", async () => running(controller.member(AGENT, "m-tls")), 30_000);
    // The controller stops sending the material once the agent reports holding it.
    controller.desired.set(AGENT, [spec]);
    expect(member.tls).toBe(certificateFingerprint(tls.cert));
    const files = memberFiles(path.join(fleet.stateDir, AGENT, "members"), "m-tls");
    expect(readFileSync(files.keyFile, "utf8")).toBe(tls.key);
    expect(statSync(files.keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(fleet.stateDir, `${AGENT}.json`), "utf8")).not.toContain("PRIVATE KEY");
    expect(await asStranger(spec.clientPort)).toMatch(/^refused/);
    const client = issueCertificate(authority, { holder: "a-client", client: true });
    const members = await withEtcd(
      { endpoints: [`https://127.0.0.1:${spec.clientPort}`], tls: { ca: tls.ca, cert: client.certPem, key: client.keyPem } },
      (etcd) => etcd.cluster.memberList({}),
    );
    expect(members.members.map((m) => m.peerURLs[0])).toEqual([`https://127.0.0.1:${spec.peerPort}`]);
  });

  it("adopts the member after kill -9 of the agent, asking its health with the certificate on disk", async () => {
    const old = running(controller.member(AGENT, "m-tls"))!;
    fleet.killProcessOnly(`agent:${AGENT}`);
    const beatsBefore = controller.hosts.get(AGENT)!.beats.length;
    startAgent();
    await until(
      "the restarted agent reporting the member running",
      async () => controller.hosts.get(AGENT)!.beats.length > beatsBefore + 2 && running(controller.member(AGENT, "m-tls")),
      30_000,
    );
    expect(controller.member(AGENT, "m-tls")).toMatchObject({ pid: old.pid, restarts: 0, tls: certificateFingerprint(tls.cert) });
  });
});
