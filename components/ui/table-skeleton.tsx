/** Placeholder rows while a list loads (announced as a status). */
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
