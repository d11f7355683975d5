"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/components/providers/trpc";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { describeError } from "@/components/ui/query-error-alert";
import { NativeSelect } from "./native-select";
import { SecretOnce } from "./secret-once";
import type { HaLevel } from "@/server/core/model";

type Env = { id: string; name: string; haLevel: HaLevel; status: string; stateServer: { tenancy: string } | null };

const failed = (error: unknown) => {
  const { title, message } = describeError(error);
  toast.error(title === "Could not load this list" ? "That did not work" : title, { description: message });
};

/** Regenerate the credential, change HA, move to a dedicated server, remove (typing the name). */
export function EnvironmentActions({ env }: { env: Env }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.environment.get.queryKey({ id: env.id }) });
  const [credential, setCredential] = useState<string | null>(null);
  const [ha, setHa] = useState<HaLevel>(env.haLevel);
  const [confirmName, setConfirmName] = useState("");
  const rotate = useMutation(
    trpc.environment.rotateCredential.mutationOptions({ onSuccess: (r) => (setCredential(r.credential), refresh()), onError: failed }),
  );
  const setHaLevel = useMutation(
    trpc.environment.setHa.mutationOptions({
      onSuccess: (r) => (
        toast.success(r.mode === "move" ? `Moving to ${r.stateServerName} with the new HA level` : "HA change started"),
        refresh()
      ),
      onError: failed,
    }),
  );
  const move = useMutation(
    trpc.environment.move.mutationOptions({
      onSuccess: (r) => (toast.success(`Moving to ${r.stateServerName}`), refresh()),
      onError: failed,
    }),
  );
  const remove = useMutation(
    trpc.environment.remove.mutationOptions({
      onSuccess: () => {
        toast.success(`Environment ${env.name} removed`);
        void queryClient.invalidateQueries({ queryKey: trpc.environment.list.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.environment.createOptions.queryKey() });
        router.push("/environments");
      },
      onError: failed,
    }),
  );

  return (
    <div className="flex flex-col gap-4">
      {credential ? (
        <SecretOnce title="New credential" secret={credential} hint="Shown only now. The previous credential no longer works." />
      ) : null}
      <div className="flex flex-wrap items-end gap-3">
        <AlertDialog>
          <AlertDialogTrigger asChild>
            <Button variant="outline">Regenerate credential</Button>
          </AlertDialogTrigger>
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>Regenerate the credential of {env.name}?</AlertDialogTitle>
              <AlertDialogDescription>The current credential stops working at once, on every replica.</AlertDialogDescription>
            </AlertDialogHeader>
            <AlertDialogFooter>
              <AlertDialogCancel>Cancel</AlertDialogCancel>
              <Button onClick={() => rotate.mutate({ id: env.id })} disabled={rotate.isPending}>
                Regenerate
              </Button>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>

        <div className="flex items-end gap-2">
          <div className="flex flex-col gap-1">
            <Label htmlFor="ha-level" className="text-xs">
              HA level
            </Label>
            <NativeSelect id="ha-level" value={ha} onChange={(e) => setHa(Number(e.target.value) as HaLevel)}>
              {[1, 3, 5].map((n) => (
                <option key={n} value={n}>
                  {n} {n === 1 ? "replica" : "replicas"}
                </option>
              ))}
            </NativeSelect>
          </div>
          <Button
            variant="outline"
            disabled={ha === env.haLevel || setHaLevel.isPending}
            onClick={() => setHaLevel.mutate({ id: env.id, haLevel: ha })}
          >
            Change HA
          </Button>
        </div>

        {env.stateServer && env.stateServer.tenancy !== "dedicated" ? (
          <Button variant="outline" disabled={move.isPending} onClick={() => move.mutate({ id: env.id, target: "dedicated" })}>
            Move to a dedicated server
          </Button>
        ) : null}

        <AlertDialog onOpenChange={() => setConfirmName("")}>
          <AlertDialogTrigger asChild>
            <Button variant="destructive">Remove</Button>
          </AlertDialogTrigger>
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>Remove {env.name}?</AlertDialogTitle>
              <AlertDialogDescription>
                Its replicas stop, its key-value state is deleted and its quota is released. Type <strong>{env.name}</strong> to confirm.
              </AlertDialogDescription>
            </AlertDialogHeader>
            <div className="flex flex-col gap-2">
              <Label htmlFor="confirm-name">Environment name</Label>
              <Input id="confirm-name" value={confirmName} onChange={(e) => setConfirmName(e.target.value)} autoComplete="off" />
            </div>
            <AlertDialogFooter>
              <AlertDialogCancel>Cancel</AlertDialogCancel>
              <Button
                variant="destructive"
                disabled={confirmName !== env.name || remove.isPending}
                onClick={() => remove.mutate({ id: env.id, confirmName })}
              >
                Remove environment
              </Button>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
      </div>
    </div>
  );
}
