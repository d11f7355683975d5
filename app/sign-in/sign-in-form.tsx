"use client";

import { AlertCircleIcon, Loader2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useRef, useState, type FormEvent, type ReactNode } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { safeCallbackUrl } from "./callback-url";
import { signInErrorMessage, validateSignIn, type FieldErrors } from "./sign-in-schema";

type SignInFormProps = { callbackUrl?: string; initialError?: string };

export function SignInForm({ callbackUrl, initialError }: SignInFormProps) {
  const router = useRouter();
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(initialError ? signInErrorMessage(initialError) : null);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    const data = new FormData(event.currentTarget);
    const result = validateSignIn({ email: String(data.get("email") ?? ""), password: String(data.get("password") ?? "") });
    setFormError(null);
    if ("errors" in result) {
      setFieldErrors(result.errors);
      (result.errors.email ? emailRef : passwordRef).current?.focus();
      return;
    }
    setFieldErrors({});
    setSubmitting(true);
    try {
      const response = await signIn("credentials", { ...result.values, redirect: false });
      if (response?.ok && !response.error) {
        // Stay "submitting" while the next page loads, so the button cannot be pressed twice.
        router.replace(safeCallbackUrl(callbackUrl, window.location.origin));
        router.refresh();
        return;
      }
      setFormError(signInErrorMessage(response?.error));
    } catch {
      setFormError(signInErrorMessage(null));
    }
    setSubmitting(false);
    passwordRef.current?.select();
  }

  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4" aria-describedby={formError ? "sign-in-error" : undefined}>
      {formError ? (
        <Alert variant="destructive" role="alert" id="sign-in-error">
          <AlertCircleIcon aria-hidden="true" />
          <AlertDescription>{formError}</AlertDescription>
        </Alert>
      ) : null}
      <Field label="Email" name="email" error={fieldErrors.email}>
        <Input
          ref={emailRef}
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          inputMode="email"
          autoFocus
          required
          disabled={submitting}
          aria-invalid={fieldErrors.email ? true : undefined}
          aria-describedby={fieldErrors.email ? "email-error" : undefined}
        />
      </Field>
      <Field label="Password" name="password" error={fieldErrors.password}>
        <Input
          ref={passwordRef}
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          disabled={submitting}
          aria-invalid={fieldErrors.password ? true : undefined}
          aria-describedby={fieldErrors.password ? "password-error" : undefined}
        />
      </Field>
      <Button type="submit" disabled={submitting} className="mt-2 w-full">
        {submitting ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : null}
        {submitting ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}

function Field({ label, name, error, children }: { label: string; name: string; error?: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-2">
      <Label htmlFor={name}>{label}</Label>
      {children}
      {error ? (
        <p id={`${name}-error`} role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
    </div>
  );
}
