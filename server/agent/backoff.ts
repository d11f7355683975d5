/**
 * Crash-restart delay for one member: 0.5 s, 1 s, 2 s … capped at 30 s, and
 * back to 0.5 s once the member had run healthily for `resetAfterMs` before it
 * crashed (a crash a week after the last one is not a crash loop).
 */
export class RestartBackoff {
  private streak = 0;

  constructor(
    private readonly baseMs = 500,
    private readonly capMs = 30_000,
    private readonly resetAfterMs = 60_000,
  ) {}

  /** The delay before restarting a member that exited at `now`; `healthySince` is when it last became healthy (if it did). */
  next(now: number, healthySince?: number): number {
    if (healthySince !== undefined && now - healthySince >= this.resetAfterMs) this.streak = 0;
    const delay = Math.min(this.capMs, this.baseMs * 2 ** this.streak);
    if (delay < this.capMs) this.streak++;
    return delay;
  }
}
