import type { Etcd3, IKeyValue, Watcher } from "etcd3";

/**
 * Moves one environment's keys between clusters without losing an
 * acknowledged write: copy the prefix as of one revision, follow the source's
 * watch from the next revision while the environment keeps writing there,
 * then (after the caller has revoked the environment's user on the source, so
 * nothing more can be acknowledged there) make the target equal to the
 * source's final state. Each step is idempotent, so a retried move is safe.
 */
export class PrefixFollower {
  private watcher?: Watcher;
  private applying: Promise<unknown> = Promise.resolve();
  private failure?: unknown;
  copied = 0;
  followed = 0;

  constructor(
    private readonly source: Etcd3,
    private readonly target: Etcd3,
    private readonly prefix: string,
  ) {}

  /** Copies the prefix at one revision and starts following the source from the next one. Returns the revision. */
  async start(): Promise<string> {
    const snapshot = await this.source.getAll().prefix(this.prefix).exec();
    await putAll(this.target, snapshot.kvs);
    this.copied = snapshot.kvs.length;
    const next = (BigInt(snapshot.header.revision) + 1n).toString();
    this.watcher = await this.source.watch().prefix(this.prefix).startRevision(next).create();
    // Events are applied in order, one at a time: a put then a delete of one key must land in that order.
    const apply = (work: () => Promise<unknown>) => {
      this.applying = this.applying.then(work).catch((error: unknown) => (this.failure ??= error));
    };
    this.watcher.on("put", (kv) =>
      apply(() =>
        this.target
          .put(kv.key)
          .value(kv.value)
          .then(() => this.followed++),
      ),
    );
    this.watcher.on("delete", (kv) =>
      apply(() =>
        this.target
          .delete()
          .key(kv.key)
          .then(() => this.followed++),
      ),
    );
    return snapshot.header.revision;
  }

  /**
   * The cut-over's last step, once no write can be acknowledged on the source:
   * stop following and make the target's prefix exactly the source's.
   */
  async finish(): Promise<{ copied: number; followed: number; reconciled: number }> {
    await this.watcher?.cancel().catch(() => undefined);
    await this.applying;
    if (this.failure) throw this.failure;
    const [source, target] = await Promise.all([
      this.source.getAll().prefix(this.prefix).exec(),
      this.target.getAll().prefix(this.prefix).exec(),
    ]);
    const want = new Map(source.kvs.map((kv) => [kv.key.toString("binary"), kv]));
    const have = new Map(target.kvs.map((kv) => [kv.key.toString("binary"), kv.value]));
    const differing = source.kvs.filter((kv) => !have.get(kv.key.toString("binary"))?.equals(kv.value));
    const extra = target.kvs.filter((kv) => !want.has(kv.key.toString("binary")));
    await putAll(this.target, differing);
    for (const kv of extra) await this.target.delete().key(kv.key);
    return { copied: this.copied, followed: this.followed, reconciled: differing.length + extra.length };
  }

  async cancel(): Promise<void> {
    await this.watcher?.cancel().catch(() => undefined);
  }
}

async function putAll(client: Etcd3, kvs: readonly IKeyValue[]) {
  for (let i = 0; i < kvs.length; i += 64) {
    await Promise.all(kvs.slice(i, i + 64).map((kv) => client.put(kv.key).value(kv.value)));
  }
}
