import { AlertCircleIcon } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "./alert";
import { Button } from "./button";

type ErrorShape = { message?: unknown; data?: { code?: unknown; appCode?: unknown } | null };

const TITLES: Record<string, string> = {
  FORBIDDEN: "You do not have access to this",
  UNAUTHORIZED: "Your session has ended",
  NOT_FOUND: "Not found",
  VALIDATION: "The request was not valid",
  BAD_REQUEST: "The request was not valid",
  QUOTA_EXCEEDED: "Quota exceeded",
  TOO_MANY_REQUESTS: "Too many requests",
};

/** Reads a tRPC client error (or anything thrown) into a title and a message. */
export function describeError(error: unknown): { code: string | null; title: string; message: string } {
  const shape = (typeof error === "object" && error !== null ? error : {}) as ErrorShape;
  const appCode = typeof shape.data?.appCode === "string" ? shape.data.appCode : null;
  const trpcCode = typeof shape.data?.code === "string" ? shape.data.code : null;
  const code = appCode ?? trpcCode;
  const message = typeof shape.message === "string" && shape.message ? shape.message : "Something went wrong.";
  return { code, title: (code && TITLES[code]) ?? "Could not load this list", message };
}

export function QueryErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { code, title, message } = describeError(error);
  return (
    <Alert variant="destructive" role="alert">
      <AlertCircleIcon aria-hidden="true" />
      <AlertTitle>{title}</AlertTitle>
      <AlertDescription>
        <p>
          {message}
          {code ? <span className="ml-1 font-mono text-xs opacity-75">({code})</span> : null}
        </p>
        {onRetry ? (
          <Button variant="outline" size="sm" className="mt-2" onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </AlertDescription>
    </Alert>
  );
}
