import type pg from "pg";
import { secretMatches } from "../auth/password";

/**
 * The environment API one state-server replica serves: status and key-value
 * state with revisions, for every environment assigned to its state server.
 * Each request is authorised against the environment in its URL, and every
 * query is scoped by that environment id, so one credential never reaches
 * another environment's data, even in the same process.
 */
export interface ReplicaIdentity {
  replicaId: string;
  stateServerId: string;
  ordinal: number;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface EnvRow {
  id: string;
  name: string;
  status: string;
  stage: string;
  stateServerId: string;
  credentialHash: string;
}

const KEY = /^[A-Za-z0-9._~:@!$&'()*+,;=/-]{1,256}$/;
const MAX_VALUE = 64 * 1024;

export class EnvironmentApi {
  constructor(
    private readonly pool: pg.Pool,
    private readonly me: ReplicaIdentity,
  ) {}

  /** The environment, if this state server serves it and the credential is its own. */
  async authorize(environmentId: string, authorization: string | null): Promise<EnvRow> {
    const credential = authorization?.startsWith("Bearer ") ? authorization.slice(7).trim() : "";
    if (!credential) throw new HttpError(401, "missing environment credential");
    const { rows } = await this.pool.query<EnvRow>(
      `SELECT id, name, status::text, stage::text, "stateServerId", "credentialHash" FROM "Environment" WHERE id = $1 AND "stateServerId" = $2`,
      [environmentId, this.me.stateServerId],
    );
    const env = rows[0];
    if (!env) throw new HttpError(404, "environment not served here");
    if (!secretMatches(credential, env.credentialHash)) throw new HttpError(403, "credential is not valid for this environment");
    return env;
  }

  status(env: EnvRow) {
    return {
      id: env.id,
      name: env.name,
      status: env.status,
      stage: env.stage,
      stateServerId: env.stateServerId,
      replica: { id: this.me.replicaId, ordinal: this.me.ordinal },
    };
  }

  async get(env: EnvRow, key: string) {
    checkKey(key);
    const { rows } = await this.pool.query<{ key: string; value: string; revision: string }>(
      `SELECT key, value, revision::text FROM "EnvironmentKey" WHERE "environmentId" = $1 AND key = $2`,
      [env.id, key],
    );
    if (!rows[0]) throw new HttpError(404, "key not found");
    return { key: rows[0].key, value: rows[0].value, revision: Number(rows[0].revision) };
  }

  async list(env: EnvRow, prefix: string) {
    if (prefix.length > 256) throw new HttpError(400, "prefix too long");
    const { rows } = await this.pool.query<{ key: string; value: string; revision: string }>(
      `SELECT key, value, revision::text FROM "EnvironmentKey"
       WHERE "environmentId" = $1 AND left(key, length($2)) = $2 ORDER BY key LIMIT 1000`,
      [env.id, prefix],
    );
    return { items: rows.map((r) => ({ key: r.key, value: r.value, revision: Number(r.revision) })) };
  }

  /** Writes a key at the environment's next revision; `expectedRevision` (0 = absent) makes it conditional. */
  async put(env: EnvRow, key: string, body: unknown) {
    checkKey(key);
    const { value, expectedRevision } = (body ?? {}) as { value?: unknown; expectedRevision?: unknown };
    if (typeof value !== "string" || value.length > MAX_VALUE) throw new HttpError(400, "value: a string up to 64 KiB");
    if (expectedRevision !== undefined && (!Number.isSafeInteger(expectedRevision) || (expectedRevision as number) < 0)) {
      throw new HttpError(400, "expectedRevision: a non-negative integer");
    }
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      // The environment row is the revision counter and the lock that orders writers.
      const { rows } = await client.query<{ rev: string }>(
        `UPDATE "Environment" SET "kvRevision" = "kvRevision" + 1 WHERE id = $1 RETURNING "kvRevision"::text AS rev`,
        [env.id],
      );
      const revision = rows[0]!.rev;
      if (expectedRevision !== undefined) {
        const cur = await client.query<{ revision: string }>(
          `SELECT revision::text FROM "EnvironmentKey" WHERE "environmentId" = $1 AND key = $2`,
          [env.id, key],
        );
        const current = cur.rows[0] ? Number(cur.rows[0].revision) : 0;
        if (current !== expectedRevision) {
          await client.query("ROLLBACK");
          throw new HttpError(409, `revision mismatch: key is at ${current}`);
        }
      }
      await client.query(
        `INSERT INTO "EnvironmentKey" ("environmentId", key, value, revision, "updatedAt") VALUES ($1, $2, $3, $4, now())
         ON CONFLICT ("environmentId", key) DO UPDATE SET value = EXCLUDED.value, revision = EXCLUDED.revision, "updatedAt" = now()`,
        [env.id, key, value, revision],
      );
      await client.query("COMMIT");
      return { key, value, revision: Number(revision) };
    } catch (error) {
      if (!(error instanceof HttpError)) await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

function checkKey(key: string) {
  if (!KEY.test(key)) throw new HttpError(400, "key: 1 to 256 URL-safe characters");
}
