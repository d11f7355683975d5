"use client";

import { useMutation } from "@tanstack/react-query";
import { KeyRoundIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/components/providers/trpc";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { describeError } from "@/components/ui/query-error-alert";
import { PemDownload } from "./pem-download";

/**
 * The state server's members admit only callers holding a client certificate
 * of its authority. One is issued on request (it admits, it grants no key: the
 * credential still does); its private key is shown once, here.
 */
export function ClientCertificate({ environmentId }: { environmentId: string }) {
  const trpc = useTRPC();
  const [issued, setIssued] = useState<{ cert: string; key: string } | null>(null);
  const issue = useMutation(
    trpc.environment.clientCertificate.mutationOptions({
      onSuccess: (r) => setIssued({ cert: r.cert, key: r.key }),
      onError: (error) => toast.error("No certificate was issued", { description: describeError(error).message }),
    }),
  );
  if (!issued) {
    return (
      <Button
        type="button"
        variant="outline"
        size="sm"
        className="self-start"
        onClick={() => issue.mutate({ id: environmentId })}
        disabled={issue.isPending}
      >
        <KeyRoundIcon aria-hidden="true" />
        {issue.isPending ? "Issuing…" : "Get a client certificate"}
      </Button>
    );
  }
  return (
    <Alert role="status">
      <KeyRoundIcon aria-hidden="true" />
      <AlertTitle>Client certificate issued</AlertTitle>
      <AlertDescription className="flex flex-col gap-2">
        <p>Save both files now: the key is not kept and cannot be shown again. Get another certificate any time.</p>
        <div className="flex flex-wrap gap-2">
          <PemDownload pem={issued.cert} fileName="client.crt" label="client.crt" />
          <PemDownload pem={issued.key} fileName="client.key" label="client.key" />
        </div>
      </AlertDescription>
    </Alert>
  );
}
