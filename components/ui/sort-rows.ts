export type SortDirection = "asc" | "desc";
export type SortValue = string | number | boolean | Date | null | undefined;

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

function compareValues(a: SortValue, b: SortValue): number {
  // Missing values sort last whatever the direction, so they never crowd the top.
  if (a == null || b == null) return 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  return collator.compare(String(a), String(b));
}

/** Stable sort of a copy; rows whose value is null/undefined stay at the end. */
export function sortRows<T>(rows: readonly T[], value: (row: T) => SortValue, direction: SortDirection): T[] {
  const sign = direction === "asc" ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, key: value(row) }))
    .sort((x, y) => {
      const xMissing = x.key == null;
      const yMissing = y.key == null;
      if (xMissing !== yMissing) return xMissing ? 1 : -1;
      return sign * compareValues(x.key, y.key) || x.index - y.index;
    })
    .map(({ row }) => row);
}
