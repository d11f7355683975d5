"use client";

import { useMutation } from "@tanstack/react-query";
import { AlertCircleIcon, Loader2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { SignUpInput } from "@/server/contracts/account";

type Field = "name" | "email" | "password";
type FieldErrors = Partial<Record<Field, string>>;

const FIELDS: { name: Field; label: string; type: string; autoComplete: string; hint?: string }[] = [
  { name: "name", label: "Name", type: "text", autoComplete: "name" },
  { name: "email", label: "Email", type: "email", autoComplete: "username" },
  { name: "password", label: "Password", type: "password", autoComplete: "new-password", hint: "At least 12 characters." },
];

export function SignUpForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const signUp = useMutation(trpc.account.signUp.mutationOptions());

  function validate(values: Record<Field, string>): FieldErrors {
    const parsed = SignUpInput.safeParse(values);
    if (parsed.success) return {};
    const found: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as Field;
      found[field] ??= `${issue.message[0]?.toUpperCase()}${issue.message.slice(1)}.`;
    }
    return found;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const values = {
      name: String(data.get("name") ?? ""),
      email: String(data.get("email") ?? ""),
      password: String(data.get("password") ?? ""),
    };
    const found = validate(values);
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length) {
      document.getElementById(Object.keys(found)[0]!)?.focus();
      return;
    }
    try {
      await signUp.mutateAsync(values);
      const result = await signIn("credentials", { email: values.email, password: values.password, redirect: false });
      if (!result?.ok || result.error) throw new Error("Your account was created, but signing in failed: sign in below.");
      router.replace("/environments");
      router.refresh();
    } catch (error) {
      const message = (error as Error).message;
      const field = (error as { data?: { field?: string } }).data?.field as Field | undefined;
      if (field && FIELDS.some((f) => f.name === field)) setErrors({ [field]: message.replace(/^\w+: /, "") });
      else setFormError(message);
    }
  }

  const busy = signUp.isPending || signUp.isSuccess;
  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
      {formError ? (
        <Alert variant="destructive" role="alert">
          <AlertCircleIcon aria-hidden="true" />
          <AlertDescription>{formError}</AlertDescription>
        </Alert>
      ) : null}
      {FIELDS.map((f, i) => (
        <div key={f.name} className="flex flex-col gap-2">
          <Label htmlFor={f.name}>{f.label}</Label>
          <Input
            id={f.name}
            name={f.name}
            type={f.type}
            autoComplete={f.autoComplete}
            autoFocus={i === 0}
            required
            disabled={busy}
            aria-invalid={errors[f.name] ? true : undefined}
            aria-describedby={errors[f.name] ? `${f.name}-error` : f.hint ? `${f.name}-hint` : undefined}
          />
          {errors[f.name] ? (
            <p id={`${f.name}-error`} role="alert" className="text-sm text-destructive">
              {errors[f.name]}
            </p>
          ) : f.hint ? (
            <p id={`${f.name}-hint`} className="text-sm text-muted-foreground">
              {f.hint}
            </p>
          ) : null}
        </div>
      ))}
      <Button type="submit" disabled={busy} className="mt-2 w-full">
        {busy ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : null}
        {busy ? "Creating your account…" : "Create account"}
      </Button>
    </form>
  );
}
