import { type Etcd3, EtcdRoleExistsError, EtcdRoleNotFoundError, EtcdUserExistsError, EtcdUserNotFoundError, Range } from "etcd3";

/**
 * An environment on its state server, the way Kamaji keeps tenants apart on a
 * shared etcd: a key prefix `/env/<id>/` (the trailing slash keeps `/env/a`
 * from covering `/env/ab`), a role granted READWRITE on exactly that prefix,
 * and a user holding only that role, whose password is the environment's
 * credential. Every function here takes a client holding the cluster's root
 * credential and is idempotent, so a controller pass can simply run it again.
 */
export const environmentPrefix = (environmentId: string) => `/env/${environmentId}/`;
export const environmentUser = (environmentId: string) => `env-${environmentId}`;
const environmentRole = environmentUser;

async function ignoring<T>(work: Promise<T>, ...expected: (abstract new (...args: never[]) => Error)[]): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (!expected.some((type) => error instanceof type)) throw error;
  }
}

/** Creates (or repairs) the environment's role and user; the password is (re)set to `password`. */
export async function ensureEnvironmentAccess(root: Etcd3, environmentId: string, password: string): Promise<void> {
  const name = environmentRole(environmentId);
  await ignoring(root.role(name).create(), EtcdRoleExistsError);
  await root.role(name).grant({ permission: "Readwrite", range: Range.prefix(environmentPrefix(environmentId)) });
  try {
    await root.user(environmentUser(environmentId)).create(password);
  } catch (error) {
    if (!(error instanceof EtcdUserExistsError)) throw error;
    await root.user(environmentUser(environmentId)).setPassword(password);
  }
  await root.user(environmentUser(environmentId)).addRole(name);
}

/** A new password: etcd bumps its auth revision, so tokens issued for the old one stop working at once. */
export async function setEnvironmentPassword(root: Etcd3, environmentId: string, password: string): Promise<void> {
  await root.user(environmentUser(environmentId)).setPassword(password);
}

/** The environment's user can no longer authenticate (cut-over of a move: no write is acknowledged here after this). */
export async function revokeEnvironmentUser(root: Etcd3, environmentId: string): Promise<void> {
  await ignoring(root.user(environmentUser(environmentId)).delete(), EtcdUserNotFoundError);
}

/** Deletes the environment's keys, user and role. */
export async function removeEnvironmentData(root: Etcd3, environmentId: string): Promise<void> {
  await revokeEnvironmentUser(root, environmentId);
  await root.delete().prefix(environmentPrefix(environmentId)).exec();
  await ignoring(root.role(environmentRole(environmentId)).delete(), EtcdRoleNotFoundError);
}
