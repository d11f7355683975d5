"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { QueryErrorAlert } from "@/components/ui/query-error-alert";
import { Skeleton } from "@/components/ui/skeleton";

/** Drain asks for confirmation after showing the engine's plan: where each replica goes, and what cannot leave. */
export function DrainDialog({ hostId, hostName, onConfirm }: { hostId: string; hostName: string; onConfirm: () => void }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const preview = useQuery({ ...trpc.host.drainPreview.queryOptions({ hostId }), enabled: open, staleTime: 0 });
  const p = preview.data;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="destructive" size="sm">
          Drain
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>Drain {hostName}?</DialogTitle>
          <DialogDescription>
            The host takes no new replicas; its replicas move, make-before-break, one per server per wave.
          </DialogDescription>
        </DialogHeader>
        {preview.isPending ? <Skeleton className="h-24 w-full" /> : null}
        {preview.error ? <QueryErrorAlert error={preview.error} /> : null}
        {p ? (
          <div className="flex flex-col gap-2 text-sm" aria-label="Drain preview">
            {p.moves.length === 0 && p.blocked.length === 0 ? <p>No replicas run here: draining is immediate.</p> : null}
            {p.moves.length ? (
              <>
                <p className="font-medium">
                  {p.moves.length} replica(s) move in {p.waves} wave(s):
                </p>
                <ul className="list-disc pl-5">
                  {p.moves.map((m) => (
                    <li key={`${m.stateServer}#${m.ordinal}`}>
                      {m.stateServerName}#{m.ordinal} → {m.toName}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {p.blocked.length ? (
              <div role="alert" className="text-destructive">
                <p className="font-medium">{p.blocked.length} replica(s) have nowhere to go and keep running here:</p>
                <ul className="list-disc pl-5">
                  {p.blocked.map((b) => (
                    <li key={`${b.stateServer}#${b.ordinal}`}>
                      {b.stateServerName}#{b.ordinal}: {b.message}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </div>
        ) : null}
        <DialogFooter>
          <Button variant="outline" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button variant="destructive" disabled={!p} onClick={() => (onConfirm(), setOpen(false))}>
            Drain host
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
