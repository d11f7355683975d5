import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ZHeartbeat, ZJoinRequest, type DesiredMember, type JoinRequest, type ObservedMember } from "../contracts/agent";

/**
 * The controller's two agent endpoints played by a test (agent tests, the
 * heartbeat-gap bench): join hands out a credential, heartbeat records what the
 * agent observed (validated with the real contract) and answers the members
 * the test wants on that host. Not the product's controller: no database.
 */
export interface FakeHost {
  name: string;
  credential: string;
  join: JoinRequest;
  joins: number;
  observed: ObservedMember[];
  /** Arrival times (ms) of every accepted heartbeat. */
  beats: number[];
}

export class FakeController {
  readonly hosts = new Map<string, FakeHost>();
  /** Desired members per agent name. */
  readonly desired = new Map<string, DesiredMember[]>();
  /** Refusals the agents received (a contract mismatch shows up here). */
  readonly refusals: string[] = [];
  private server?: Server;
  url = "";

  constructor(private readonly heartbeatIntervalMs = 500) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        const answer = this.answer(req.url ?? "", req.headers.authorization ?? "", body);
        res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private answer(route: string, authorization: string, text: string): { status: number; body: unknown } {
    const refuse = (status: number, message: string) => {
      this.refusals.push(`${route}: ${message}`);
      return { status, body: { error: { message } } };
    };
    if (route === "/api/agent/join") {
      const parsed = ZJoinRequest.safeParse(JSON.parse(text));
      if (!parsed.success) return refuse(400, parsed.error.message);
      const known = this.hosts.get(parsed.data.name);
      const host: FakeHost = known ?? { name: parsed.data.name, credential: "", join: parsed.data, joins: 0, observed: [], beats: [] };
      host.credential = `cred-${parsed.data.name}-${randomBytes(6).toString("hex")}`;
      host.joins++;
      this.hosts.set(host.name, host);
      return { status: 200, body: { hostId: host.name, credential: host.credential, heartbeatIntervalMs: this.heartbeatIntervalMs } };
    }
    if (route === "/api/agent/heartbeat") {
      const host = [...this.hosts.values()].find((h) => authorization === `Bearer ${h.credential}`);
      if (!host) return refuse(401, "unknown credential");
      const parsed = ZHeartbeat.safeParse(JSON.parse(text));
      if (!parsed.success) return refuse(400, parsed.error.message);
      host.observed = parsed.data.replicas;
      host.beats.push(Date.now());
      return {
        status: 200,
        body: {
          host: { id: host.name, state: "ready" },
          heartbeatIntervalMs: this.heartbeatIntervalMs,
          desired: this.desired.get(host.name) ?? [],
        },
      };
    }
    return refuse(404, "no such route");
  }

  member(agent: string, id: string): ObservedMember | undefined {
    return this.hosts.get(agent)?.observed.find((m) => m.id === id);
  }

  async close() {
    await new Promise((r) => this.server?.close(r));
  }
}

/** `n` distinct ports free right now on 127.0.0.1 (held together while chosen, so they differ). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Server>((resolve) => {
          const s = createServer();
          s.listen(0, "127.0.0.1", () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** A bootstrap cluster of `names.length` members on 127.0.0.1 with the given ports. */
export function bootstrapMembers(names: string[], ports: number[], clusterToken: string): DesiredMember[] {
  const members = names.map((id, i) => ({ id, clientPort: ports[2 * i]!, peerPort: ports[2 * i + 1]! }));
  const initialCluster = members.map((m) => `${m.id}=http://127.0.0.1:${m.peerPort}`).join(",");
  return members.map((m, ordinal) => ({
    ...m,
    stateServerId: clusterToken,
    ordinal,
    address: "127.0.0.1",
    clusterToken,
    initialCluster,
    initialClusterState: "new",
  }));
}
