/**
 * Keeps rejected agent requests from flooding the audit log. Per source (a
 * host, or the address of an unauthenticated caller) the first `perSource`
 * rejections of a window are audited one by one; the rest are counted and
 * audited as one summary when the window ends. Unauthenticated callers can
 * pick their address header freely, so they also share a global allowance:
 * beyond it every address is counted under one summary. Per app instance, in
 * memory: at most perSource x sources + 1 summary per window reach the log.
 */
export interface Rejection {
  hostId?: string;
  label: string;
  action: string;
  reason: string;
  requestId?: string;
}

interface Window {
  start: number;
  written: number;
  suppressed: number;
  last?: Rejection;
}

const ANONYMOUS = "addr:*";

export class RejectionAudit {
  private readonly windows = new Map<string, Window>();
  private anonymousWritten = 0;
  private anonymousStart = 0;

  constructor(
    private readonly options: { perSource: number; anonymousPerWindow: number; windowMs: number } = {
      perSource: 5,
      anonymousPerWindow: 50,
      windowMs: 60_000,
    },
  ) {}

  /** Rejections to audit now: the event itself when within its allowance, and summaries of windows that ended. */
  admit(source: string, rejection: Rejection, now: number): Rejection[] {
    const out = this.flush(now);
    const anonymous = !rejection.hostId;
    if (anonymous && now - this.anonymousStart >= this.options.windowMs) {
      this.anonymousStart = now;
      this.anonymousWritten = 0;
    }
    const key = anonymous && this.anonymousWritten >= this.options.anonymousPerWindow && !this.windows.has(source) ? ANONYMOUS : source;
    let w = this.windows.get(key);
    if (!w) this.windows.set(key, (w = { start: now, written: 0, suppressed: 0 }));
    if (key !== ANONYMOUS && w.written < this.options.perSource) {
      w.written++;
      if (anonymous) this.anonymousWritten++;
      out.push(rejection);
    } else {
      w.suppressed++;
      w.last = rejection;
    }
    return out;
  }

  /** Summaries of every window that has ended (call it now and then, so a flood that stops is still summarised). */
  flush(now: number): Rejection[] {
    const out: Rejection[] = [];
    for (const [key, w] of this.windows) {
      if (now - w.start < this.options.windowMs) continue;
      this.windows.delete(key);
      if (!w.suppressed || !w.last) continue;
      out.push({
        ...(key === ANONYMOUS ? {} : { hostId: w.last.hostId }),
        label: key === ANONYMOUS ? "agents at many addresses" : w.last.label,
        action: w.last.action,
        reason: `${w.suppressed} more rejected request(s) from ${key === ANONYMOUS ? "unauthenticated callers" : w.last.label} between ${new Date(w.start).toISOString()} and ${new Date(now).toISOString()}, not audited one by one; last: ${w.last.reason}`,
        requestId: w.last.requestId,
      });
    }
    return out;
  }
}
