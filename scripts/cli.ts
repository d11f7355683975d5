#!/usr/bin/env -S node --import tsx
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import {
  addEnvironment,
  clientCert,
  describeFailure,
  environments,
  type Flags,
  login,
  logout,
  removeEnvironment,
  status,
  UsageError,
} from "./cli/commands";

const HELP = `statehouse CLI

  login --url URL (--token TOKEN | --email EMAIL)   password from STATEHOUSE_PASSWORD or a prompt
  logout
  environments [--json]
  add-environment NAME --stage development|staging|production --ha 1|3|5 [--zone ZONE] [--tenant TENANT] [--wait] [--json]
  status NAME [--tenant TENANT] [--json]
  remove-environment NAME [--yes] [--json]
  client-cert NAME [--tenant TENANT] [--out DIR] [--yes]   ca.crt, client.crt, client.key for etcdctl --cacert/--cert/--key

Config: $XDG_CONFIG_HOME/statehouse/cli.json (else ~/.config/statehouse/cli.json).
Exit codes: 0 ok, 1 refused by the server, 2 usage, 3 server unreachable.`;

/** Runs one command; returns the exit code (the integration test calls this in-process). */
export async function main(
  argv: string[],
  io = { out: (t: string) => console.log(t), err: (t: string) => console.error(t), env: process.env, interactive: !!process.stdin.isTTY },
) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: "boolean" },
        yes: { type: "boolean", short: "y" },
        wait: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        url: { type: "string" },
        token: { type: "string" },
        email: { type: "string" },
        stage: { type: "string" },
        ha: { type: "string" },
        zone: { type: "string" },
        tenant: { type: "string" },
        timeout: { type: "string" },
        out: { type: "string" },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const [command, name] = parsed.positionals;
  const flags = parsed.values as Flags & { help?: boolean };
  if (!command || flags.help) {
    io.out(HELP);
    return command || flags.help ? 0 : 2;
  }
  try {
    switch (command) {
      case "login":
        await login(io, flags);
        break;
      case "logout":
        logout(io);
        break;
      case "environments":
      case "list":
        await environments(io, flags);
        break;
      case "add-environment":
        await addEnvironment(io, flags, name);
        break;
      case "status":
        await status(io, flags, name);
        break;
      case "remove-environment":
        await removeEnvironment(io, flags, name);
        break;
      case "client-cert":
        await clientCert(io, flags, name);
        break;
      default:
        throw new UsageError(`unknown command ${command}\n\n${HELP}`);
    }
    return 0;
  } catch (error) {
    const { message, code } = describeFailure(error);
    io.err(`error: ${message}`);
    return code;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
