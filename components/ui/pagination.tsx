import { ChevronLeftIcon, ChevronRightIcon } from "lucide-react";
import { Button } from "./button";
import { cn } from "./cn";

type PaginationControlsProps = {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  busy?: boolean;
  label?: string;
  className?: string;
};

/** Previous/next controls for cursor pagination (no total count is known). */
export function PaginationControls({
  page,
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
  busy = false,
  label = "Pagination",
  className,
}: PaginationControlsProps) {
  if (!hasPrevious && !hasNext) return null;
  return (
    <nav aria-label={label} className={cn("flex items-center justify-end gap-2", className)}>
      <span className="mr-2 text-sm text-muted-foreground" aria-live="polite">
        Page {page}
      </span>
      <Button variant="outline" size="sm" onClick={onPrevious} disabled={!hasPrevious || busy}>
        <ChevronLeftIcon aria-hidden="true" />
        Previous
      </Button>
      <Button variant="outline" size="sm" onClick={onNext} disabled={!hasNext || busy}>
        Next
        <ChevronRightIcon aria-hidden="true" />
      </Button>
    </nav>
  );
}
