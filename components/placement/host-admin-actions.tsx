"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { describeError } from "@/components/ui/query-error-alert";

interface DrainResult {
  moved: { stateServer: string; stateServerName: string; ordinal: number; toName: string }[];
  unplaced: { stateServer: string; stateServerName: string; ordinal: number; message: string }[];
}

/** Admin actions on a host: cordon/uncordon (host.setState), and drain after the engine's preview (host.drain). */
export function HostAdminActions({
  hostId,
  hostName,
  state,
  onOpenHost,
}: {
  hostId: string;
  hostName: string;
  state: string;
  onOpenHost(name: string): void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [previewing, setPreviewing] = useState(false);
  const [drained, setDrained] = useState<DrainResult | null>(null);
  const preview = useQuery(trpc.host.drainPreview.queryOptions({ hostId }, { enabled: previewing, staleTime: 0 }));
  // The drain pre-places replicas on other hosts: every placement view (map, drawers, history) may change.
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.placement.pathKey() });
  const setState = useMutation(
    trpc.host.setState.mutationOptions({
      onSuccess: async (host) => {
        toast.success(`${host.name} is now ${host.state}`);
        setPreviewing(false);
        await refresh();
      },
      onError: (error) => toast.error(describeError(error).message),
    }),
  );
  const drain = useMutation(
    trpc.host.drain.mutationOptions({
      onSuccess: async (result) => {
        toast.success(
          `${result.host.name} is now draining: ${result.moved.length} replicas moving${result.unplaced.length ? `, ${result.unplaced.length} stay` : ""}`,
        );
        setPreviewing(false);
        setDrained(result);
        await refresh();
      },
      onError: (error) => toast.error(describeError(error).message),
    }),
  );
  const busy = setState.isPending || drain.isPending;
  const act = (action: "cordon" | "uncordon") => setState.mutate({ hostId, action, reason: `from the placement map (${hostName})` });

  return (
    <section aria-label="Host actions" className="flex flex-col gap-3 rounded-md border p-3">
      <h3 className="font-semibold">Actions</h3>
      <div className="flex flex-wrap gap-2">
        {state === "ready" ? (
          <Button size="sm" variant="outline" disabled={busy} onClick={() => act("cordon")}>
            Cordon
          </Button>
        ) : null}
        {state === "cordoned" || state === "draining" ? (
          <Button size="sm" variant="outline" disabled={busy} onClick={() => act("uncordon")}>
            Uncordon
          </Button>
        ) : null}
        {state === "ready" || state === "cordoned" ? (
          <Button size="sm" variant="outline" aria-expanded={previewing} onClick={() => setPreviewing((p) => !p)}>
            Preview drain
          </Button>
        ) : null}
      </div>
      {previewing ? (
        <div className="flex flex-col gap-2 text-sm" aria-label="Drain preview" role="region">
          {preview.isPending ? <p role="status">Planning the drain…</p> : null}
          {preview.isError ? <p role="alert">{describeError(preview.error).message}</p> : null}
          {preview.data ? (
            <>
              <p>
                {preview.data.moves.length} replicas move in {preview.data.waves} waves (make-before-break)
                {preview.data.blocked.length ? `; ${preview.data.blocked.length} cannot move and keep running here` : "; nothing is stuck"}.
              </p>
              <ul className="max-h-48 overflow-auto text-xs">
                {preview.data.moves.map((m) => (
                  <li key={`${m.stateServer}#${m.ordinal}`}>
                    {m.stateServerName} #{m.ordinal}: {m.fromName} → {m.toName}
                  </li>
                ))}
                {preview.data.blocked.map((b) => (
                  <li key={`${b.stateServer}#${b.ordinal}`} className="text-destructive">
                    {b.stateServerName} #{b.ordinal}: {b.message}
                  </li>
                ))}
              </ul>
              <div>
                <Button
                  size="sm"
                  variant="destructive"
                  disabled={busy}
                  onClick={() => drain.mutate({ hostId, reason: `from the placement map (${hostName})` })}
                >
                  Drain {hostName}
                </Button>
              </div>
            </>
          ) : null}
        </div>
      ) : null}
      {drained ? (
        <div className="flex flex-col gap-2 text-sm" aria-label="Drain result" role="region">
          <p>
            {drained.moved.length} replicas are scheduled on their new hosts; each replica here stops once its replacement runs.
            {drained.unplaced.length ? ` ${drained.unplaced.length} have nowhere to go and keep running here.` : ""}
          </p>
          <ul className="max-h-48 overflow-auto text-xs">
            {drained.moved.map((m) => (
              <li key={`${m.stateServer}#${m.ordinal}`} className="flex items-center gap-2">
                <span>
                  {m.stateServerName} #{m.ordinal} → {m.toName}
                </span>
                <Button size="sm" variant="link" className="h-auto px-0 text-xs" onClick={() => onOpenHost(m.toName)}>
                  Open {m.toName}
                </Button>
              </li>
            ))}
            {drained.unplaced.map((u) => (
              <li key={`${u.stateServer}#${u.ordinal}`} className="text-destructive">
                {u.stateServerName} #{u.ordinal}: {u.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
