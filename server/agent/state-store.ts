import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";

/**
 * A JSON file written atomically and one write at a time. Each write goes to
 * its own temp file (unique name), is fsynced, then renamed over the file, so
 * a reader or a crash sees the old or the new content, never a mix. Writes are
 * queued: concurrent saves (a clean stop saves once per exiting member) land
 * in call order and the last one wins.
 */
export class StateStore<T> {
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  async read(): Promise<T | null> {
    try {
      return JSON.parse(await readFile(this.file, "utf8")) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  /** Queues a write of `state` (serialized now, so later changes to the object are not written by this call). */
  save(state: T): Promise<void> {
    const text = JSON.stringify(state);
    const write = this.queue.then(() => this.write(text));
    // A failed write must not block the ones after it; the caller still sees the failure.
    this.queue = write.catch(() => undefined);
    return write;
  }

  private async write(text: string) {
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      const handle = await open(tmp, "wx", 0o600);
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, this.file);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }
}
