import { describe, expect, it } from "vitest";
import { RejectionAudit } from "./rejection-audit";

const reject = (n: number, hostId?: string) => ({
  hostId,
  label: hostId ? `agent ${hostId}` : "agent at 10.0.0.1",
  action: "host.heartbeat.rejected",
  reason: `UNAUTHENTICATED: #${n}`,
  requestId: `r${n}`,
});

describe("RejectionAudit", () => {
  it("audits the first rejections of a source one by one, then one summary per window", () => {
    const audit = new RejectionAudit({ perSource: 3, anonymousPerWindow: 100, windowMs: 60_000 });
    const written = Array.from({ length: 1000 }, (_, i) => audit.admit("addr:10.0.0.1", reject(i), 1000 + i)).flat();
    expect(written.map((r) => r.reason)).toEqual(["UNAUTHENTICATED: #0", "UNAUTHENTICATED: #1", "UNAUTHENTICATED: #2"]);
    expect(audit.flush(30_000)).toEqual([]);
    const [summary, ...rest] = audit.flush(61_000);
    expect(rest).toEqual([]);
    expect(summary!.reason).toMatch(/^997 more rejected request\(s\) from agent at 10\.0\.0\.1 between .*; last: UNAUTHENTICATED: #999$/);
    expect(summary).toMatchObject({ action: "host.heartbeat.rejected", label: "agent at 10.0.0.1", requestId: "r999" });
    // A new window starts afresh.
    expect(audit.admit("addr:10.0.0.1", reject(1000), 62_000)).toHaveLength(1);
  });

  it("keeps sources apart, and a window that ended is summarised by the next admit too", () => {
    const audit = new RejectionAudit({ perSource: 1, anonymousPerWindow: 100, windowMs: 10_000 });
    expect(audit.admit("host:a", reject(1, "a"), 0)).toHaveLength(1);
    expect(audit.admit("host:a", reject(2, "a"), 1)).toHaveLength(0);
    expect(audit.admit("host:b", reject(3, "b"), 2)).toHaveLength(1);
    const out = audit.admit("host:b", reject(4, "b"), 10_000);
    expect(out.map((r) => [r.hostId, r.reason.split(" ")[0]])).toEqual([["a", "1"]]);
  });

  it("caps unauthenticated callers across addresses (the address header is theirs to choose)", () => {
    const audit = new RejectionAudit({ perSource: 5, anonymousPerWindow: 20, windowMs: 60_000 });
    const written = Array.from({ length: 500 }, (_, i) => audit.admit(`addr:10.0.${i}.1`, reject(i), i)).flat();
    expect(written).toHaveLength(20);
    const summaries = audit.flush(61_000);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.reason).toMatch(/^480 more rejected request\(s\) from unauthenticated callers/);
    expect(summaries[0]!.hostId).toBeUndefined();
  });
});
