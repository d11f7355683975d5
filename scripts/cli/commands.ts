import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import superjson from "superjson";
import type { AppRouter } from "../../server/api/root";
import { type CliConfig, readConfig, removeConfig, writeConfig } from "./config";
import { keyValues, table } from "./format";
import { prompt, promptHidden, signInCookie } from "./session";
import type { HaLevel } from "../../server/core/model";

export class UsageError extends Error {}

export type Client = ReturnType<typeof makeClient>;

export function makeClient(url: string, headers: Record<string, string>) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${url.replace(/\/$/, "")}/api/trpc`, transformer: superjson, headers: () => headers })],
  });
}

export interface Io {
  out: (text: string) => void;
  env: NodeJS.ProcessEnv;
  interactive: boolean;
}

export interface Flags {
  json?: boolean;
  yes?: boolean;
  wait?: boolean;
  url?: string;
  token?: string;
  email?: string;
  stage?: string;
  ha?: string;
  zone?: string;
  tenant?: string;
  timeout?: string;
  out?: string;
}

function loggedIn(io: Io): { client: Client; config: CliConfig } {
  const config = readConfig(io.env);
  if (!config) throw new UsageError("not logged in: run `login --url URL --token TOKEN` (or --email EMAIL) first");
  return { client: makeClient(config.url, { authorization: `Bearer ${config.token}` }), config };
}

const print = (io: Io, flags: Flags, data: unknown, human: () => string) => io.out(flags.json ? JSON.stringify(data, null, 2) : human());

export async function login(io: Io, flags: Flags) {
  const url = flags.url?.replace(/\/$/, "");
  if (!url) throw new UsageError("login needs --url URL");
  let token = flags.token;
  if (!token) {
    if (!flags.email) throw new UsageError("login needs --token TOKEN or --email EMAIL");
    const password = io.env.STATEHOUSE_PASSWORD ?? (await promptHidden(`Password for ${flags.email}: `));
    const cookie = await signInCookie(url, flags.email, password);
    const created = await makeClient(url, { cookie }).account.createToken.mutate({ name: `cli ${new Date().toISOString().slice(0, 16)}` });
    token = created.token;
  }
  const me = await makeClient(url, { authorization: `Bearer ${token}` }).session.me.query();
  writeConfig({ url, token, email: me?.email }, io.env);
  print(io, flags, { url, email: me?.email }, () => `Logged in to ${url} as ${me?.email}`);
}

export function logout(io: Io) {
  removeConfig(io.env);
  io.out("Logged out");
}

async function allEnvironments(client: Client) {
  const items = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<Client["environment"]["list"]["query"]>> = await client.environment.list.query({ limit: 100, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

export async function environments(io: Io, flags: Flags) {
  const { client } = loggedIn(io);
  const items = await allEnvironments(client);
  print(io, flags, items, () =>
    items.length
      ? table(
          ["Environment", "Tenant", "Stage", "HA", "Status", "Created"],
          items.map((e) => [e.name, e.tenantName, e.stage, e.haLevel, e.status, e.createdAt.toISOString().slice(0, 19).replace("T", " ")]),
        )
      : "No environments.",
  );
}

const ref = (name: string, flags: Flags) => ({ name, ...(flags.tenant ? { tenantId: flags.tenant } : {}) });

async function resolveTenant(client: Client, flags: Flags) {
  const options = await client.environment.createOptions.query();
  const wanted = flags.tenant;
  const tenant = wanted ? options.tenants.find((t) => t.id === wanted || t.slug === wanted || t.name === wanted) : options.tenants[0];
  if (!tenant)
    throw new UsageError(
      wanted
        ? `no tenant ${wanted} where you can create environments`
        : "you are not a member of any tenant where you can create environments",
    );
  if (!wanted && options.tenants.length > 1)
    throw new UsageError(`you are in several tenants (${options.tenants.map((t) => t.slug).join(", ")}): pass --tenant`);
  return tenant;
}

export async function addEnvironment(io: Io, flags: Flags, name: string | undefined) {
  if (!name)
    throw new UsageError("add-environment NAME --stage development|staging|production --ha 1|3|5 [--zone ZONE] [--tenant TENANT] [--wait]");
  const { client } = loggedIn(io);
  const stage = (flags.stage ?? "development") as "development" | "staging" | "production";
  const ha = Number(flags.ha ?? 1);
  const tenant = await resolveTenant(client, flags);
  const zone = flags.zone ? tenant.zones.find((z) => z.name === flags.zone || z.id === flags.zone) : tenant.zones[0];
  if (!zone)
    throw new UsageError(flags.zone ? `zone ${flags.zone} is not granted to ${tenant.name}` : `${tenant.name} has no zone granted`);
  const created = await client.environment.create.mutate({ tenantId: tenant.id, name, stage, haLevel: ha as HaLevel, zoneId: zone.id });
  const detail = flags.wait ? await waitRunning(client, created.id, Number(flags.timeout ?? 120) * 1000) : null;
  const status: string = detail?.status ?? created.status;
  const connection = detail?.connection ?? null;
  print(io, flags, { ...created, status, connection }, () =>
    [
      `Environment ${created.name} created (${stage}, HA ${ha}, zone ${zone.name}, tenant ${tenant.name}): ${status}`,
      `Credential (shown once): ${created.credential}`,
      ...(connection ? ["", ...connectionLines(connection, created.credential)] : []),
    ].join("\n"),
  );
}

const TLS_FILES = ["ca.crt", "client.crt", "client.key"] as const;

/** How to reach the environment with etcdctl (docs/design.md, contract 4); a TLS state server also needs `client-cert`'s files. */
function connectionLines(c: { endpoints: string[]; username: string; prefix: string; caCert: string | null }, credential = "CREDENTIAL") {
  const tls = c.caCert ? `--cacert=${TLS_FILES[0]} --cert=${TLS_FILES[1]} --key=${TLS_FILES[2]} ` : "";
  return [
    `Endpoints: ${c.endpoints.join(",")}`,
    `User:      ${c.username}`,
    `Prefix:    ${c.prefix}`,
    ...(c.caCert ? [`TLS:       the members admit only client certificates of the state server: statehouse client-cert NAME`] : []),
    `Try:       etcdctl --endpoints=${c.endpoints.join(",")} ${tls}--user ${c.username}:${credential} put ${c.prefix}hello world`,
  ];
}

/** Writes the state server's authority and a fresh client certificate and key (mode 0600) into --out (default: here). */
export async function clientCert(io: Io, flags: Flags, name: string | undefined) {
  if (!name) throw new UsageError("client-cert NAME [--tenant TENANT] [--out DIR] [--yes to overwrite]");
  const { client } = loggedIn(io);
  const dir = path.resolve(flags.out ?? ".");
  const files = TLS_FILES.map((f) => path.join(dir, f));
  const present = files.filter((f) => existsSync(f));
  if (present.length && !flags.yes) throw new UsageError(`${present.join(", ")} already exist: pass --yes to overwrite`);
  const env = await client.environment.get.query(ref(name, flags));
  const issued = await client.environment.clientCertificate.mutate({ id: env.id });
  [issued.ca, issued.cert, issued.key].forEach((pem, i) => writeFileSync(files[i]!, pem, { mode: i === 2 ? 0o600 : 0o644 }));
  print(io, flags, { id: env.id, files }, () => `Wrote ${files.join(", ")} for ${env.name} (the key is not kept anywhere else)`);
}

async function waitRunning(client: Client, id: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const env = await client.environment.get.query({ id });
    if (env.status === "running") return env;
    if (env.status === "failed") throw new Error(`environment ${env.name} failed: ${env.statusReason ?? "no reason given"}`);
    if (Date.now() > deadline) throw new Error(`environment ${env.name} is still ${env.status} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function status(io: Io, flags: Flags, name: string | undefined) {
  if (!name) throw new UsageError("status NAME");
  const { client } = loggedIn(io);
  const env = await client.environment.get.query(ref(name, flags));
  print(io, flags, env, () =>
    [
      keyValues([
        ["Environment", env.name],
        ["Tenant", env.tenantName],
        ["Stage", env.stage],
        ["HA", env.haLevel],
        ["Status", `${env.status}${env.statusReason ? ` (${env.statusReason})` : ""}`],
        ["Zone", env.zone?.name],
        [
          "State server",
          env.stateServer ? `${env.stateServer.name} (${env.stateServer.tenancy}, ${env.stateServer.replicas} replicas)` : "not assigned",
        ],
        ["Shared with", env.neighbours.map((n) => n.name).join(", ") || "none"],
      ]),
      "",
      ...(env.connection
        ? [...connectionLines(env.connection), ""]
        : ["Not writable yet: its etcd user is made once the cluster runs.", ""]),
      env.replicas.length
        ? table(
            ["Replica", "Host", "Domain", "State", "Member", "Role", "Raft term/index", "Endpoint"],
            env.replicas.map((r) => [
              r.ordinal,
              r.hostName,
              r.failureDomain,
              r.state,
              r.member?.id,
              r.member ? (r.member.leader ? "leader" : r.member.learner ? "learner" : "follower") : null,
              r.member?.raftTerm != null ? `${r.member.raftTerm}/${r.member.raftIndex}` : null,
              r.endpoint,
            ]),
          )
        : "No replicas yet.",
      ...env.jobs
        .filter((j) => j.state === "queued" || j.state === "running")
        .map((j) => `Job ${j.kind}: ${j.state} ${j.progress}% ${j.detail}`),
    ].join("\n"),
  );
}

export async function removeEnvironment(io: Io, flags: Flags, name: string | undefined) {
  if (!name) throw new UsageError("remove-environment NAME [--yes]");
  const { client } = loggedIn(io);
  const env = await client.environment.get.query(ref(name, flags));
  if (!flags.yes) {
    if (!io.interactive) throw new UsageError("refusing to remove without confirmation: pass --yes");
    const typed = (
      await prompt(`This removes ${env.name} (${env.stage}, tenant ${env.tenantName}) and its state. Type its name to confirm: `)
    ).trim();
    if (typed !== env.name) throw new UsageError("the name did not match: nothing removed");
  }
  const removed = await client.environment.remove.mutate({ id: env.id, confirmName: env.name });
  print(io, flags, removed, () => `Environment ${removed.name} is being removed: its keys, etcd user and role are deleted, then the row`);
}

/** An error for humans: the server's message and code, or what went wrong locally. */
export function describeFailure(error: unknown): { message: string; code: number } {
  if (error instanceof UsageError) return { message: error.message, code: 2 };
  if (error instanceof TRPCClientError) {
    const data = error.data as { appCode?: string; httpStatus?: number } | undefined;
    if (!data) return { message: `cannot reach the server: ${error.message}`, code: 3 };
    const hint = data.appCode === "UNAUTHORIZED" ? " (log in again: the token may be revoked or expired)" : "";
    return { message: `${error.message}${data.appCode ? ` [${data.appCode}]` : ""}${hint}`, code: 1 };
  }
  return { message: (error as Error).message ?? String(error), code: 1 };
}
