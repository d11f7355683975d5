import { accessSync, constants } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { FatalAgentError, HostAgent } from "./agent";
import { etcdBin } from "./member-process";
import { DEFAULT_MEMBER_PORTS } from "../contracts/agent";
import { watchParent } from "../http/watch-parent";

const PROJECT_DIR = path.resolve(import.meta.dirname, "../..");

/**
 * `npm run agent -- --controller URL --join-token TOKEN --name NAME --zone ZONE
 *   --failure-domain AZ --cpu MILLIS --memory MIB [--environment ENV_JOIN_TOKEN]
 *   [--state-dir DIR] [--ports 20000-23999] [--heartbeat-ms 1000]`
 *
 * `--ports`: the range the controller may allocate member ports from (sent at join).
 * etcd comes from ETCD_BIN (default /usr/bin/etcd); ETCD_BCRYPT_COST, ETCD_HEARTBEAT_MS,
 * ETCD_ELECTION_MS, ETCD_QUOTA_BACKEND_BYTES and ETCD_SNAPSHOT_COUNT tune its flags.
 */
const { values } = parseArgs({
  options: {
    controller: { type: "string" },
    "join-token": { type: "string" },
    environment: { type: "string" },
    name: { type: "string" },
    zone: { type: "string" },
    "failure-domain": { type: "string" },
    cpu: { type: "string", default: "4000" },
    memory: { type: "string", default: "8192" },
    "max-replicas": { type: "string" },
    "state-dir": { type: "string", default: process.env.AGENT_STATE_DIR ?? path.join(PROJECT_DIR, ".data", "agents") },
    ports: { type: "string", default: process.env.AGENT_PORTS ?? `${DEFAULT_MEMBER_PORTS.from}-${DEFAULT_MEMBER_PORTS.to}` },
    "heartbeat-ms": { type: "string" },
  },
});
const usage =
  "usage: agent --controller URL (--join-token TOKEN | --environment TOKEN) --name NAME --failure-domain AZ [--zone ZONE] [--cpu MILLIS] [--memory MIB]";
if (!values.controller || !values.name || !values["failure-domain"]) {
  console.error(usage);
  process.exit(2);
}
const [from, to] = values.ports.split("-").map(Number);
if (!Number.isInteger(from) || !Number.isInteger(to) || from! < 1 || to! > 65535 || from! > to!) {
  console.error(`--ports: expected FROM-TO within 1-65535, got ${values.ports}`);
  process.exit(2);
}
try {
  accessSync(etcdBin(), constants.X_OK);
} catch {
  // Not fatal: the agent joins and reports its members failed with the reason, so the controller sees the host's problem.
  console.error(
    JSON.stringify({
      agent: values.name,
      msg: `etcd not found at ${etcdBin()}: members cannot start (Debian: apt-get install -y etcd-server; or set ETCD_BIN)`,
    }),
  );
}
const agent = new HostAgent({
  controllerUrl: values.controller.replace(/\/$/, ""),
  joinToken: values["join-token"] ?? process.env.AGENT_JOIN_TOKEN,
  environmentToken: values.environment,
  name: values.name,
  zone: values.zone,
  failureDomain: values["failure-domain"],
  cpuMillis: Number(values.cpu),
  memoryMiB: Number(values.memory),
  maxReplicas: values["max-replicas"] ? Number(values["max-replicas"]) : undefined,
  stateDir: values["state-dir"],
  heartbeatMs: values["heartbeat-ms"] ? Number(values["heartbeat-ms"]) : undefined,
  ports: [from!, to!],
  onFatal: (code) => process.exit(code),
});
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    void agent.stop().then((code) => process.exit(code));
  });
}
watchParent(() => void agent.stop().then((code) => process.exit(code)));
agent.start().catch((error: unknown) => {
  console.error(JSON.stringify({ agent: values.name, msg: "agent failed", error: String(error) }));
  process.exit(error instanceof FatalAgentError ? 3 : 1);
});
