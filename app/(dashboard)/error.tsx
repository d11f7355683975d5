"use client";

import { AlertCircleIcon } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <Alert variant="destructive" role="alert">
      <AlertCircleIcon aria-hidden="true" />
      <AlertTitle>This page could not be shown</AlertTitle>
      <AlertDescription>
        <p>
          Something went wrong while loading it.
          {error.digest ? <span className="ml-1 font-mono text-xs">(ref {error.digest})</span> : null}
        </p>
        <Button variant="outline" size="sm" className="mt-2" onClick={reset}>
          Try again
        </Button>
      </AlertDescription>
    </Alert>
  );
}
