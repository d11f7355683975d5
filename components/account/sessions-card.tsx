"use client";

import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { QueryErrorAlert } from "@/components/ui/query-error-alert";

/** Ending sessions: sign out everywhere, and a password change (which also ends every session). */
export function SessionsCard() {
  const trpc = useTRPC();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const backToSignIn = () => void signOut({ callbackUrl: "/sign-in" });
  const everywhere = useMutation(
    trpc.session.signOutEverywhere.mutationOptions({
      onSuccess: () => (toast.success("Signed out everywhere"), backToSignIn()),
      onError: (e) => void toast.error(e.message),
    }),
  );
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({ onSuccess: () => (toast.success("Password changed: sign in again"), backToSignIn()) }),
  );
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    change.mutate({ currentPassword: current, newPassword: next });
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sessions and password</CardTitle>
        <CardDescription>
          Signing out everywhere or changing your password ends every browser session at once, this one too.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-6">
        <ConfirmButton
          label="Sign out everywhere"
          title="Sign out everywhere?"
          description="Every browser signed in as you is signed out now. API tokens keep working; revoke them above."
          confirmLabel="Sign out everywhere"
          onConfirm={() => everywhere.mutate()}
          disabled={everywhere.isPending}
        />
        <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label="Change password">
          <div className="flex flex-col gap-2">
            <Label htmlFor="current-password">Current password</Label>
            <Input
              id="current-password"
              type="password"
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
              required
            />
          </div>
          <div className="flex flex-col gap-2">
            <Label htmlFor="new-password">New password (12 characters or more)</Label>
            <Input
              id="new-password"
              type="password"
              autoComplete="new-password"
              minLength={12}
              value={next}
              onChange={(e) => setNext(e.target.value)}
              required
            />
          </div>
          <Button type="submit" disabled={change.isPending}>
            Change password
          </Button>
        </form>
        {change.error ? <QueryErrorAlert error={change.error} /> : null}
      </CardContent>
    </Card>
  );
}
