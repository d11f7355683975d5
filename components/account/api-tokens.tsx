"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { SecretOnce } from "@/components/environment/secret-once";
import { useTRPC } from "@/components/providers/trpc";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { formatDate } from "@/components/ui/format-date";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { QueryErrorAlert } from "@/components/ui/query-error-alert";

/** Personal API tokens for the CLI and automation: create (shown once), list, revoke. */
export function ApiTokens() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.account.tokens.queryOptions());
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.account.tokens.queryKey() });
  const [name, setName] = useState("");
  const [days, setDays] = useState("");
  const create = useMutation(trpc.account.createToken.mutationOptions({ onSuccess: () => (setName(""), refresh()) }));
  const revoke = useMutation(
    trpc.account.revokeToken.mutationOptions({
      onSuccess: () => (toast.success("Token revoked"), refresh()),
      onError: (e) => void toast.error(e.message),
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate({ name: name.trim(), expiresInDays: days ? Number(days) : null });
  }

  return (
    <div className="flex flex-col gap-6">
      <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label="New API token">
        <div className="flex flex-col gap-2">
          <Label htmlFor="token-name">Token name</Label>
          <Input
            id="token-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="ci deploys"
            className="w-64"
            required
          />
        </div>
        <div className="flex flex-col gap-2">
          <Label htmlFor="token-days">Expires in (days, optional)</Label>
          <Input id="token-days" type="number" min={1} max={365} value={days} onChange={(e) => setDays(e.target.value)} className="w-40" />
        </div>
        <Button type="submit" disabled={!name.trim() || create.isPending}>
          Create token
        </Button>
      </form>
      {create.error ? <QueryErrorAlert error={create.error} /> : null}
      {create.data ? (
        <SecretOnce
          title={`Token ${create.data.name}`}
          secret={create.data.token}
          hint="Shown only now. Use it as Authorization: Bearer … or with `npm run cli -- login --token …`."
        />
      ) : null}
      {tokens.error ? <QueryErrorAlert error={tokens.error} onRetry={() => void tokens.refetch()} /> : null}
      <table className="w-full text-left text-sm">
        <caption className="sr-only">API tokens</caption>
        <thead className="text-muted-foreground">
          <tr>
            <th className="py-1 font-medium">Name</th>
            <th className="py-1 font-medium">Created</th>
            <th className="py-1 font-medium">Last used</th>
            <th className="py-1 font-medium">Expires</th>
            <th className="py-1 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(tokens.data ?? []).map((t) => (
            <tr key={t.id} className="border-t" data-testid="token-row">
              <td className="py-1.5 font-medium">{t.name}</td>
              <td className="py-1.5">{formatDate(t.createdAt)}</td>
              <td className="py-1.5">{t.lastUsedAt ? formatDate(t.lastUsedAt) : "never"}</td>
              <td className="py-1.5">{t.expiresAt ? formatDate(t.expiresAt) : "never"}</td>
              <td className="py-1.5 text-right">
                {t.revokedAt ? (
                  <Badge variant="secondary">Revoked</Badge>
                ) : (
                  <ConfirmButton
                    label="Revoke"
                    variant="outline"
                    title={`Revoke ${t.name}?`}
                    description="Anything using this token stops working at once."
                    confirmLabel="Revoke"
                    onConfirm={() => revoke.mutate({ id: t.id })}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {tokens.data?.length === 0 ? <p className="text-sm text-muted-foreground">No tokens yet.</p> : null}
    </div>
  );
}
