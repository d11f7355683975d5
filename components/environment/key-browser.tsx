"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { describeError, QueryErrorAlert } from "@/components/ui/query-error-alert";

const PAGE = 50;

/**
 * The environment's keys, read and written on its state server through its
 * own etcd user (as any client would). Keys are shown relative to the prefix.
 */
export function KeyBrowser({ environmentId, canWrite }: { environmentId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState("");
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const listKey = trpc.environmentKey.list.infiniteQueryOptions(
    { environmentId, prefix: filter, limit: PAGE },
    { getNextPageParam: (page) => page.next ?? undefined },
  );
  const keys = useInfiniteQuery(listKey);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.environmentKey.list.pathKey() });
  const put = useMutation(
    trpc.environmentKey.put.mutationOptions({
      onSuccess: async (r) => {
        toast.success(`Saved ${r.key} (revision ${r.revision})`);
        setKey("");
        setValue("");
        await refresh();
      },
      onError: (error) => toast.error(describeError(error).message),
    }),
  );
  const remove = useMutation(
    trpc.environmentKey.delete.mutationOptions({
      onSuccess: async (r) => {
        toast.success(r.deleted ? `Deleted ${r.key}` : `${r.key} was already gone`);
        await refresh();
      },
      onError: (error) => toast.error(describeError(error).message),
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (key.trim()) put.mutate({ environmentId, key: key.trim(), value });
  };
  const items = keys.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Card>
      <CardHeader>
        <CardTitle>Keys</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-4 text-sm" role="region" aria-label="Key browser">
        {canWrite ? (
          <form onSubmit={submit} className="grid gap-2 sm:grid-cols-[1fr_2fr_auto] sm:items-end" aria-label="Put a key">
            <div className="flex flex-col gap-1">
              <Label htmlFor="kb-key">Key</Label>
              <Input id="kb-key" value={key} maxLength={512} onChange={(e) => setKey(e.target.value)} placeholder="app/config" />
            </div>
            <div className="flex flex-col gap-1">
              <Label htmlFor="kb-value">Value</Label>
              <Input id="kb-value" value={value} onChange={(e) => setValue(e.target.value)} placeholder="any text" />
            </div>
            <Button type="submit" disabled={!key.trim() || put.isPending}>
              {put.isPending ? "Saving…" : "Put"}
            </Button>
          </form>
        ) : null}
        <div className="flex flex-col gap-1">
          <Label htmlFor="kb-filter">Filter by key prefix</Label>
          <Input id="kb-filter" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="app/" />
        </div>
        {keys.isError ? <QueryErrorAlert error={keys.error} onRetry={() => void keys.refetch()} /> : null}
        {keys.isPending ? <p className="text-muted-foreground">Loading keys…</p> : null}
        {!keys.isPending && !keys.isError && !items.length ? (
          <p className="text-muted-foreground">
            {filter ? `No key starts with ${filter}.` : "No keys yet. Put one above, or write with any etcd client."}
          </p>
        ) : null}
        {items.length ? (
          <table className="w-full table-fixed text-left">
            <caption className="sr-only">Keys</caption>
            <thead className="text-muted-foreground">
              <tr>
                <th className="w-1/3 py-1 font-medium">Key</th>
                <th className="py-1 font-medium">Value</th>
                <th className="w-24 py-1 font-medium">Revision</th>
                {canWrite ? <th className="w-24 py-1 font-medium">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {items.map((kv) => (
                <tr key={kv.key} className="border-t" data-testid="key-row">
                  <td className="truncate py-1.5 font-mono text-xs">{kv.key}</td>
                  <td className="truncate py-1.5 font-mono text-xs">{kv.value}</td>
                  <td className="py-1.5">{kv.revision}</td>
                  {canWrite ? (
                    <td className="py-1.5">
                      <ConfirmButton
                        label="Delete"
                        title={`Delete ${kv.key}?`}
                        description="The key is deleted from the state server at once; clients reading it will find nothing."
                        confirmLabel="Delete key"
                        onConfirm={() => remove.mutate({ environmentId, key: kv.key })}
                      />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {keys.hasNextPage ? (
          <Button variant="outline" size="sm" onClick={() => void keys.fetchNextPage()} disabled={keys.isFetchingNextPage}>
            {keys.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        ) : null}
      </CardContent>
    </Card>
  );
}
