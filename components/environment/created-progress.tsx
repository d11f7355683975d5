"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { QueryErrorAlert } from "@/components/ui/query-error-alert";
import { CreationProgressView } from "./creation-progress";
import { LIVE_INTERVAL_MS } from "./status";

/** Right after Create: the new environment's progress, live, in place of the form. */
export function CreatedProgress({ id, name }: { id: string; name: string }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.environment.get.queryOptions(
      { id },
      { refetchInterval: (q) => (q.state.data && ["running", "failed"].includes(q.state.data.status) ? false : LIVE_INTERVAL_MS) },
    ),
  );
  const status = query.data?.status;
  const title = status === "running" ? `${name} is ready` : status === "failed" ? `${name} could not be created` : `Creating ${name}`;
  return (
    <Card>
      <CardHeader>
        <CardTitle role="status" aria-live="polite">
          {title}
        </CardTitle>
      </CardHeader>
      <CardContent>
        {query.data ? (
          <CreationProgressView env={query.data} />
        ) : query.error ? (
          <QueryErrorAlert error={query.error} />
        ) : (
          <p className="text-sm text-muted-foreground">Loading…</p>
        )}
      </CardContent>
    </Card>
  );
}
