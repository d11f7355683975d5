import { describe, expect, it } from "vitest";
import { sortRows } from "./sort-rows";

type Row = { name: string; n: number | null; at?: Date };

const rows: Row[] = [
  { name: "host-10", n: 2 },
  { name: "host-2", n: null },
  { name: "Host-1", n: 1 },
  { name: "host-3", n: 2 },
];

describe("sortRows", () => {
  it("sorts strings naturally and case-insensitively", () => {
    expect(sortRows(rows, (r) => r.name, "asc").map((r) => r.name)).toEqual(["Host-1", "host-2", "host-3", "host-10"]);
  });

  it("keeps missing values last in both directions and is stable for ties", () => {
    expect(sortRows(rows, (r) => r.n, "asc").map((r) => r.name)).toEqual(["Host-1", "host-10", "host-3", "host-2"]);
    expect(sortRows(rows, (r) => r.n, "desc").map((r) => r.name)).toEqual(["host-10", "host-3", "Host-1", "host-2"]);
  });

  it("compares dates by time and does not mutate its input", () => {
    const dated = [{ name: "b", n: 0, at: new Date(2000) }, { name: "a", n: 0, at: new Date(1000) }];
    expect(sortRows(dated, (r) => r.at, "asc").map((r) => r.name)).toEqual(["a", "b"]);
    expect(dated.map((r) => r.name)).toEqual(["b", "a"]);
  });
});
