"use client";

import { useState } from "react";
import type { z } from "zod";
import { describeError } from "@/components/ui/query-error-alert";

export type FieldErrors = Record<string, string | undefined>;

type ServerErrorShape = { data?: { field?: unknown; fieldErrors?: Record<string, string[] | undefined> | null } | null };

/** Maps a tRPC error onto the form: zod field errors, or the AppError's `field`, else a form-level message. */
export function serverErrors(error: unknown): { fields: FieldErrors; form: string | null } {
  const { message } = describeError(error);
  const data = (error as ServerErrorShape | null)?.data;
  const fields: FieldErrors = {};
  for (const [key, list] of Object.entries(data?.fieldErrors ?? {})) if (list?.[0]) fields[key] = list[0];
  const field = typeof data?.field === "string" ? data.field : null;
  if (Object.keys(fields).length === 0 && field) fields[field] = message.replace(new RegExp(`^${field}: `), "");
  return { fields, form: Object.keys(fields).length ? null : message };
}

/**
 * Form state validated with the same zod schema the server uses, on every
 * change (after a field was touched), and server errors shown on their field.
 */
export function useZodForm<S extends z.ZodType<Record<string, unknown>>>(schema: S, initial: z.input<S>) {
  const [values, setValues] = useState<z.input<S>>(initial);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [server, setServer] = useState<{ fields: FieldErrors; form: string | null }>({ fields: {}, form: null });

  const parsed = schema.safeParse(values);
  const clientErrors: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join(".");
      clientErrors[key] ??= issue.message;
    }
  }
  const errors: FieldErrors = {};
  for (const key of new Set([...Object.keys(clientErrors), ...Object.keys(server.fields)])) {
    errors[key] = (touched[key] || touched.__submit ? clientErrors[key] : undefined) ?? server.fields[key];
  }

  return {
    values,
    errors,
    formError: server.form,
    valid: parsed.success,
    set<K extends keyof z.input<S> & string>(key: K, value: z.input<S>[K]) {
      setValues((v) => ({ ...(v as object), [key]: value }) as z.input<S>);
      setTouched((t) => ({ ...t, [key]: true }));
      setServer((s) => ({ fields: { ...s.fields, [key]: undefined }, form: null }));
    },
    reset(next: z.input<S> = initial) {
      setValues(next);
      setTouched({});
      setServer({ fields: {}, form: null });
    },
    /** Marks every field touched; returns the parsed values, or null when invalid. */
    submit(): z.output<S> | null {
      setTouched((t) => ({ ...t, __submit: true }));
      return parsed.success ? parsed.data : null;
    },
    fail(error: unknown) {
      setServer(serverErrors(error));
    },
  };
}
