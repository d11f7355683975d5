import { describe, expect, it } from "vitest";
import { formatCpu, formatMemory } from "./format-capacity";

describe("capacity formats", () => {
  it("formats millicores as CPUs", () => {
    expect(formatCpu(4000)).toBe("4 CPU");
    expect(formatCpu(1500)).toBe("1.5 CPU");
    expect(formatCpu(250)).toBe("0.3 CPU");
  });

  it("formats MiB, switching to GiB from 1024", () => {
    expect(formatMemory(512)).toBe("512 MiB");
    expect(formatMemory(8192)).toBe("8 GiB");
    expect(formatMemory(1536)).toBe("1.5 GiB");
  });
});
