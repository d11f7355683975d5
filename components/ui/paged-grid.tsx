"use client";

import type { ColumnDef } from "@tanstack/react-table";
import type { ReactNode } from "react";
import { TableSkeleton } from "@/components/ui/table-skeleton";
import { PaginationControls } from "@/components/ui/pagination";
import { QueryErrorAlert } from "@/components/ui/query-error-alert";
import type { CursorPagination } from "@/components/ui/use-cursor-pagination";
import { DataGrid } from "./data-grid";

/** The part of a TanStack query result a paginated list needs (a UseQueryResult fits). */
export type PageQuery<T> = {
  data: { items: T[]; nextCursor: string | null } | undefined;
  error: unknown;
  isPending: boolean;
  isFetching: boolean;
  isPlaceholderData: boolean;
  refetch: () => unknown;
};

/** A server cursor-paged list: loading, error, empty, the TanStack grid (sort/filter within the page) and the pager. */
export function PagedGrid<T>({
  label,
  query,
  pager,
  columns,
  rowKey,
  empty,
  toolbar,
}: {
  label: string;
  query: PageQuery<T>;
  pager: CursorPagination;
  columns: ColumnDef<T, unknown>[];
  rowKey: (row: T) => string;
  empty: ReactNode;
  toolbar?: ReactNode;
}) {
  if (query.isPending) return <TableSkeleton columns={columns.length} label={`Loading ${label.toLowerCase()}`} />;
  if (!query.data) return <QueryErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const { items, nextCursor } = query.data;
  const busy = query.isFetching && query.isPlaceholderData;
  return (
    <div className="flex flex-col gap-3">
      {query.error ? <QueryErrorAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      <div aria-busy={busy} className={busy ? "opacity-60 transition-opacity" : undefined}>
        <DataGrid
          caption={label}
          columns={columns}
          data={items}
          rowKey={rowKey}
          pageSize={100}
          toolbar={toolbar}
          empty={
            pager.hasPrevious ? (
              <p className="text-sm text-muted-foreground">No more rows.</p>
            ) : (
              <div className="flex flex-col gap-3">
                {toolbar ? <div className="flex gap-2">{toolbar}</div> : null}
                {empty}
              </div>
            )
          }
        />
      </div>
      <PaginationControls
        label={`${label} pages`}
        page={pager.page}
        hasPrevious={pager.hasPrevious}
        hasNext={nextCursor !== null}
        busy={busy}
        onPrevious={pager.previous}
        onNext={() => nextCursor && pager.next(nextCursor)}
      />
    </div>
  );
}
