"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { describeError } from "@/components/ui/query-error-alert";

/** Admin actions on a host, through the admin engineer's host procedures (setState, drainPreview). */
export function HostAdminActions({ hostId, hostName, state }: { hostId: string; hostName: string; state: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [previewing, setPreviewing] = useState(false);
  const preview = useQuery(trpc.host.drainPreview.queryOptions({ hostId }, { enabled: previewing, staleTime: 0 }));
  const setState = useMutation(
    trpc.host.setState.mutationOptions({
      onSuccess: async (host) => {
        toast.success(`${host.name} is now ${host.state}`);
        setPreviewing(false);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.placement.host.queryKey({ hostId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.placement.version.queryKey() }),
        ]);
      },
      onError: (error) => toast.error(describeError(error).message),
    }),
  );
  const act = (action: "cordon" | "uncordon" | "drain") => setState.mutate({ hostId, action, reason: `from the placement map (${hostName})` });

  return (
    <section aria-label="Host actions" className="flex flex-col gap-3 rounded-md border p-3">
      <h3 className="font-semibold">Actions</h3>
      <div className="flex flex-wrap gap-2">
        {state === "ready" ? (
          <Button size="sm" variant="outline" disabled={setState.isPending} onClick={() => act("cordon")}>
            Cordon
          </Button>
        ) : null}
        {state === "cordoned" || state === "draining" ? (
          <Button size="sm" variant="outline" disabled={setState.isPending} onClick={() => act("uncordon")}>
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
                <Button size="sm" variant="destructive" disabled={setState.isPending} onClick={() => act("drain")}>
                  Drain {hostName}
                </Button>
              </div>
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
