import type { ComponentProps } from "react";

/** A native select styled like the inputs: keyboard and screen-reader friendly, and easy to drive in tests. */
export function NativeSelect(props: ComponentProps<"select">) {
  return (
    <select
      {...props}
      className="flex h-9 w-full rounded-md border border-input bg-background px-3 py-1 text-sm shadow-xs outline-none focus-visible:ring-2 focus-visible:ring-ring/40 disabled:opacity-50 aria-invalid:border-destructive"
    />
  );
}
