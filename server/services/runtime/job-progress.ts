import type { Db } from "../../db/client";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function progress(db: Db, id: string, value: number, detail: string) {
  await db.runtimeJob.update({ where: { id }, data: { progress: Math.max(0, Math.min(100, Math.round(value))), detail } });
}

/** Waits (polling) until `check` reports done, recording progress; throws on timeout so pg-boss retries. */
export async function waitFor(
  db: Db,
  id: string,
  check: () => Promise<{ done: boolean; progress: number; detail: string }>,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = await check();
    await progress(db, id, s.progress, s.detail);
    if (s.done) return;
    await sleep(500);
  }
  throw new Error("not converged yet");
}

export async function runningOrdinals(db: Db, stateServerId: string) {
  const rows = await db.replica.findMany({
    where: { stateServerId, state: "running", host: { state: { not: "down" } } },
    select: { ordinal: true },
  });
  return new Set(rows.map((r) => r.ordinal)).size;
}
