"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc";
import { QueryErrorAlert } from "@/components/ui/query-error-alert";
import { Skeleton } from "@/components/ui/skeleton";

/** "Why here?" (score breakdown vs runner-up) or "why pending?" (hosts counted by reason, with the rules behind). */
export function ReplicaExplanation({ server, ordinal }: { server: string; ordinal: number }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.placement.explain.queryOptions({ server, ordinal }, { staleTime: 10_000 }));
  if (q.isPending) return <Skeleton className="h-24" role="status" aria-label="Asking the placement engine" />;
  if (q.isError) return <QueryErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  const e = q.data;
  const heading = e.placed ? `Why ${server} #${ordinal} is on ${e.host}` : `Why ${server} #${ordinal} is not placed`;
  return (
    <section aria-label={heading} className="flex flex-col gap-3 rounded-md border bg-muted/30 p-3 text-sm">
      <h3 className="font-semibold">{heading}</h3>
      <p>{e.message}</p>
      <p className="text-muted-foreground">
        {e.feasibleHosts} of {e.totalHosts} hosts could take it.
      </p>
      {e.chosen ? (
        <table className="w-full text-left text-xs">
          <caption className="sr-only">Score breakdown of the chosen host and the runner-up</caption>
          <thead>
            <tr className="border-b">
              <th className="py-1 font-medium">Scorer (weight)</th>
              <th className="py-1 font-medium">{e.chosen.hostName} (chosen)</th>
              <th className="py-1 font-medium">{e.runnerUp ? `${e.runnerUp.hostName} (runner-up)` : "no runner-up"}</th>
            </tr>
          </thead>
          <tbody>
            {e.chosen.parts.map((p) => {
              const other = e.runnerUp?.parts.find((x) => x.name === p.name);
              return (
                <tr key={p.name} className="border-b last:border-0">
                  <td className="py-1">
                    {p.name} (×{p.weight})
                  </td>
                  <td className="py-1 tabular-nums">{round(p.weighted)}</td>
                  <td className="py-1 tabular-nums">{other ? round(other.weighted) : "—"}</td>
                </tr>
              );
            })}
            <tr className="font-semibold">
              <td className="py-1">Total</td>
              <td className="py-1 tabular-nums">{round(e.chosen.total)}</td>
              <td className="py-1 tabular-nums">{e.runnerUp ? round(e.runnerUp.total) : "—"}</td>
            </tr>
          </tbody>
        </table>
      ) : null}
      {e.reasons.length ? (
        <table className="w-full text-left text-xs">
          <caption className="mb-1 text-left font-medium">Hosts ruled out, by the first rule they fail</caption>
          <thead>
            <tr className="border-b">
              <th className="py-1 font-medium">Reason</th>
              <th className="py-1 font-medium">Hosts</th>
              <th className="py-1 font-medium">Rule</th>
            </tr>
          </thead>
          <tbody>
            {e.reasons.map((r) => (
              <tr key={r.code} className="border-b last:border-0">
                <td className="py-1">{r.label}</td>
                <td className="py-1 tabular-nums">{r.hosts}</td>
                <td className="py-1">
                  <code>{r.code}</code>
                  {r.rules.length ? ` (policy ${r.rules.join(", ")})` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

const round = (n: number) => Math.round(n * 100) / 100;
