import pg from "pg";
import { ADVISORY_LOCKS } from "../db/locks";

/**
 * Leader election on a Postgres session advisory lock held by one dedicated
 * connection. The lock dies with the connection, so when the leader's process
 * (or its connection, or Postgres) goes, a standby's next try wins.
 */
export const LEADER_LOCK = ADVISORY_LOCKS.controllerLeader;

export class LeaderLease {
  private client: pg.Client | null = null;
  private leading = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly onChange: (leading: boolean) => void = () => undefined,
  ) {}

  get isLeader() {
    return this.leading;
  }

  private set(leading: boolean) {
    if (leading !== this.leading) {
      this.leading = leading;
      this.onChange(leading);
    }
  }

  private drop() {
    const c = this.client;
    this.client = null;
    this.set(false);
    void c?.end().catch(() => undefined);
  }

  /** Tries to lead (or confirms the lease is still held); false on any connection trouble. */
  async tick(): Promise<boolean> {
    try {
      if (!this.client) {
        const client = new pg.Client({
          connectionString: this.databaseUrl,
          connectionTimeoutMillis: 2000,
          application_name: "statehouse-controller-lease",
        });
        client.on("error", () => this.drop());
        client.on("end", () => {
          if (this.client === client) this.drop();
        });
        await client.connect();
        this.client = client;
      }
      if (this.leading) {
        // Still ours? (a restarted Postgres forgets session locks)
        const { rows } = await this.client.query<{ held: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
             AND objid = ($1::bigint & 4294967295)::oid AND granted) AS held`,
          [LEADER_LOCK],
        );
        this.set(rows[0]!.held);
      } else {
        const { rows } = await this.client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS ok", [LEADER_LOCK]);
        this.set(rows[0]!.ok);
      }
    } catch {
      this.drop();
    }
    return this.leading;
  }

  async release() {
    if (this.client && this.leading) await this.client.query("SELECT pg_advisory_unlock($1::bigint)", [LEADER_LOCK]).catch(() => undefined);
    this.drop();
  }
}
