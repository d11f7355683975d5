import { useCallback, useState } from "react";

/**
 * Cursor pagination keeps a stack of the cursors that led to each page after the first,
 * so "Previous" is a pop and needs no backwards cursor from the server.
 */
export function useCursorPagination() {
  const [stack, setStack] = useState<string[]>([]);
  const next = useCallback((cursor: string) => setStack((s) => [...s, cursor]), []);
  const previous = useCallback(() => setStack((s) => s.slice(0, -1)), []);
  const reset = useCallback(() => setStack([]), []);
  return {
    cursor: stack.at(-1) ?? null,
    page: stack.length + 1,
    hasPrevious: stack.length > 0,
    next,
    previous,
    reset,
  };
}

export type CursorPagination = ReturnType<typeof useCursorPagination>;
