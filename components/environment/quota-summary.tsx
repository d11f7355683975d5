"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc";
import { quotaFullSentence } from "@/server/core/policy/quota-refusal";
import { IDLE_INTERVAL_MS } from "./status";

const LINES = [
  ["development", "Development", "development environments"],
  ["staging", "Staging", "staging environments"],
  ["production", "Production", "production environments"],
  ["replicas", "Replicas", "replicas"],
  ["cpuMillis", "CPU (millicores)", "CPU (millicores)"],
  ["memoryMiB", "Memory (MiB)", "memory (MiB)"],
] as const;

/** Quota usage of each tenant the caller can create environments in. */
export function QuotaSummary() {
  const trpc = useTRPC();
  const { data } = useQuery(trpc.environment.createOptions.queryOptions(undefined, { refetchInterval: IDLE_INTERVAL_MS }));
  const tenants = (data?.tenants ?? []).filter((t) => t.quota);
  if (!tenants.length) return null;
  return (
    <div className="mb-6 flex flex-col gap-3">
      {tenants.map((t) => {
        const full = LINES.filter(([key]) => t.quota![key].used >= t.quota![key].max).map(([key, , what]) => ({ what, ...t.quota![key] }));
        const sentence = quotaFullSentence(t.name, full);
        return (
          <section key={t.id} aria-label={`Quota of ${t.name}`} className="rounded-lg border p-3">
            <h2 className="mb-2 text-sm font-medium">Quota of {t.name}</h2>
            <dl className="grid grid-cols-3 gap-x-4 gap-y-1 text-sm sm:grid-cols-6">
              {LINES.map(([key, label]) => {
                const q = t.quota![key];
                return (
                  <div key={key}>
                    <dt className="text-xs text-muted-foreground">{label}</dt>
                    <dd className={`tabular-nums ${q.used >= q.max ? "text-destructive" : ""}`} data-testid={`quota-${key}`}>
                      {q.used} / {q.max}
                    </dd>
                  </div>
                );
              })}
            </dl>
            {sentence ? (
              <p className="mt-2 text-sm text-destructive" data-testid="quota-full">
                {sentence}
              </p>
            ) : null}
          </section>
        );
      })}
    </div>
  );
}
