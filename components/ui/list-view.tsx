import type { ReactNode } from "react";
import { DataTable, TableSkeleton, type Column } from "./data-table";
import { PaginationControls } from "./pagination";
import { QueryErrorAlert } from "./query-error-alert";
import type { CursorPagination } from "./use-cursor-pagination";

/** The part of a TanStack query result a paginated list needs (a UseQueryResult fits). */
export type PageQuery<T> = {
  data: { items: T[]; nextCursor: string | null } | undefined;
  error: unknown;
  isPending: boolean;
  isFetching: boolean;
  isPlaceholderData: boolean;
  refetch: () => unknown;
};

type ListViewProps<T> = {
  label: string;
  query: PageQuery<T>;
  pager: CursorPagination;
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  empty: ReactNode;
};

/** Loading, error, empty, table and pager for one cursor-paginated tRPC list. */
export function ListView<T>({ label, query, pager, columns, rowKey, empty }: ListViewProps<T>) {
  if (query.isPending) return <TableSkeleton columns={columns.length} label={`Loading ${label.toLowerCase()}`} />;
  if (!query.data) {
    return (
      <div className="flex flex-col gap-3">
        <QueryErrorAlert error={query.error} onRetry={() => void query.refetch()} />
        <PaginationControls
          label={`${label} pages`}
          page={pager.page}
          hasPrevious={pager.hasPrevious}
          hasNext={false}
          onPrevious={pager.previous}
          onNext={() => undefined}
        />
      </div>
    );
  }

  const { items, nextCursor } = query.data;
  if (items.length === 0 && !pager.hasPrevious) return empty;

  const busy = query.isFetching && query.isPlaceholderData;
  return (
    <div className="flex flex-col gap-3">
      {query.error ? <QueryErrorAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      <div aria-busy={busy} className={busy ? "opacity-60 transition-opacity" : undefined}>
        <DataTable caption={label} columns={columns} rows={items} rowKey={rowKey} />
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
