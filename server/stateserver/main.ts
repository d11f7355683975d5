import { parseArgs } from "node:util";
import { startStateServer } from "./server";

/**
 * `npm run stateserver -- --replica ID --state-server ID --ordinal N --port P [--host 127.0.0.1]`
 * One state-server replica process (normally started by a host agent). Reads DATABASE_URL.
 */
const { values } = parseArgs({
  options: {
    replica: { type: "string" },
    "state-server": { type: "string" },
    ordinal: { type: "string", default: "0" },
    port: { type: "string" },
    host: { type: "string", default: process.env.STATESERVER_HOST ?? "127.0.0.1" },
  },
});
const databaseUrl = process.env.DATABASE_URL;
if (!values.replica || !values["state-server"] || !values.port || !databaseUrl) {
  console.error("usage: stateserver --replica ID --state-server ID --ordinal N --port P [--host H] (DATABASE_URL set)");
  process.exit(2);
}
const replica = await startStateServer({
  replicaId: values.replica,
  stateServerId: values["state-server"],
  ordinal: Number(values.ordinal),
  port: Number(values.port),
  host: values.host,
  databaseUrl,
});
// The agent reads this line to learn the replica is listening.
console.log(JSON.stringify({ event: "listening", replica: values.replica, port: Number(values.port) }));
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    void replica.stop().finally(() => process.exit(0));
  });
}
