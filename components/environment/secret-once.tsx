import { KeyRoundIcon } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { CopyButton } from "./copy-button";

/** A secret shown exactly once (an environment credential, an API token). */
export function SecretOnce({ title, secret, hint }: { title: string; secret: string; hint: string }) {
  return (
    <Alert role="status">
      <KeyRoundIcon aria-hidden="true" />
      <AlertTitle>{title}</AlertTitle>
      <AlertDescription className="flex flex-col gap-2">
        <p>{hint}</p>
        <div className="flex flex-wrap items-center gap-2">
          <code data-testid="secret-value" className="break-all rounded bg-muted px-2 py-1 font-mono text-xs">
            {secret}
          </code>
          <CopyButton value={secret} />
        </div>
      </AlertDescription>
    </Alert>
  );
}
