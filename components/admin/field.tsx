import { useId, type ReactNode } from "react";
import { Label } from "@/components/ui/label";

/** A labelled control with its validation message; the control gets id/aria props through the render prop. */
export function Field({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: string;
  hint?: string;
  children: (props: { id: string; "aria-invalid": boolean; "aria-describedby"?: string }) => ReactNode;
}) {
  const id = useId();
  const messageId = `${id}-message`;
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children({ id, "aria-invalid": Boolean(error), "aria-describedby": error || hint ? messageId : undefined })}
      {error ? (
        <p id={messageId} role="alert" className="text-xs text-destructive">
          {error}
        </p>
      ) : hint ? (
        <p id={messageId} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md border border-destructive/40 bg-destructive/10 px-3 py-2 text-sm text-destructive">
      {message}
    </p>
  );
}

/** A native select styled like the inputs (keyboard and screen-reader friendly without extra code). */
export function Select(props: React.ComponentProps<"select">) {
  return (
    <select
      {...props}
      className="flex h-9 w-full rounded-md border border-input bg-background px-3 py-1 text-sm shadow-xs outline-none focus-visible:ring-2 focus-visible:ring-ring/40 aria-invalid:border-destructive"
    />
  );
}

/**
 * A form driven by useZodForm: submitting marks every field touched and calls
 * `onValid` only with values the schema accepts; the server's form-level error
 * shows on top (in `errorClassName`'s wrapper for grid layouts).
 */
export function ZodForm<T>({
  form,
  onValid,
  className = "flex flex-col gap-4",
  errorClassName,
  children,
  ...props
}: {
  form: { submit(): T | null; formError: string | null };
  onValid: (data: T) => void;
  className?: string;
  errorClassName?: string;
  children: ReactNode;
  "aria-label"?: string;
}) {
  const error = <FormError message={form.formError} />;
  return (
    <form
      noValidate
      className={className}
      onSubmit={(e) => {
        e.preventDefault();
        const data = form.submit();
        if (data) onValid(data);
      }}
      {...props}
    >
      {errorClassName ? <div className={errorClassName}>{error}</div> : error}
      {children}
    </form>
  );
}
