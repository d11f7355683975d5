"use client";

import { ArrowDownIcon, ArrowUpDownIcon, ArrowUpIcon } from "lucide-react";
import { useMemo, useState, type ReactNode } from "react";
import { cn } from "./cn";
import { sortRows, type SortDirection, type SortValue } from "./sort-rows";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "./table";

export type Column<T> = {
  id: string;
  header: string;
  cell: (row: T) => ReactNode;
  /** Present = the column is sortable (within the loaded page). */
  sortValue?: (row: T) => SortValue;
  align?: "left" | "right";
  className?: string;
};

type Sort = { columnId: string; direction: SortDirection } | null;

type DataTableProps<T> = {
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  className?: string;
};

export function DataTable<T>({ caption, columns, rows, rowKey, className }: DataTableProps<T>) {
  const [sort, setSort] = useState<Sort>(null);
  const sorted = useMemo(() => {
    const column = sort && columns.find((c) => c.id === sort.columnId);
    return column?.sortValue && sort ? sortRows(rows, column.sortValue, sort.direction) : rows;
  }, [rows, columns, sort]);

  const toggle = (columnId: string) =>
    setSort((s) =>
      s?.columnId !== columnId
        ? { columnId, direction: "asc" }
        : s.direction === "asc"
          ? { columnId, direction: "desc" }
          : null,
    );

  return (
    <Table className={className}>
      <TableCaption className="sr-only">{caption}</TableCaption>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          {columns.map((column) => {
            const direction = sort?.columnId === column.id ? sort.direction : null;
            return (
              <TableHead
                key={column.id}
                scope="col"
                aria-sort={direction === "asc" ? "ascending" : direction === "desc" ? "descending" : undefined}
                className={cn(column.align === "right" && "text-right", column.className)}
              >
                {column.sortValue ? (
                  <SortButton label={column.header} direction={direction} onClick={() => toggle(column.id)} />
                ) : (
                  column.header
                )}
              </TableHead>
            );
          })}
        </TableRow>
      </TableHeader>
      <TableBody>
        {sorted.map((row) => (
          <TableRow key={rowKey(row)}>
            {columns.map((column) => (
              <TableCell
                key={column.id}
                className={cn(column.align === "right" && "text-right tabular-nums", column.className)}
              >
                {column.cell(row)}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function SortButton({
  label,
  direction,
  onClick,
}: {
  label: string;
  direction: SortDirection | null;
  onClick: () => void;
}) {
  const Icon = direction === "asc" ? ArrowUpIcon : direction === "desc" ? ArrowDownIcon : ArrowUpDownIcon;
  return (
    <button
      type="button"
      onClick={onClick}
      className="-mx-1 inline-flex items-center gap-1 rounded px-1 py-0.5 outline-none hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring"
    >
      {label}
      <Icon className={cn("size-3.5", !direction && "opacity-40")} aria-hidden="true" />
      <span className="sr-only">, sort</span>
    </button>
  );
}

export function TableSkeleton({ columns, rows = 5, label }: { columns: number; rows?: number; label: string }) {
  return (
    <div role="status" aria-label={label} className="overflow-hidden rounded-lg border">
      <div className="flex gap-4 border-b bg-muted/50 px-3 py-3">
        {Array.from({ length: columns }, (_, i) => (
          <div key={i} className="h-4 flex-1 rounded bg-muted" aria-hidden="true" />
        ))}
      </div>
      {Array.from({ length: rows }, (_, r) => (
        <div key={r} className="flex gap-4 border-b px-3 py-3 last:border-0" aria-hidden="true">
          {Array.from({ length: columns }, (_, c) => (
            <div key={c} className="h-4 flex-1 animate-pulse rounded bg-muted" />
          ))}
        </div>
      ))}
    </div>
  );
}
