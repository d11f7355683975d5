import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "./copy-button";

interface Connection {
  endpoints: string[];
  username: string;
  prefix: string;
}

/** How to reach the environment with any etcd v3 client: its endpoints, its user and its prefix (the credential was shown once). */
export function ConnectionCard({ connection }: { connection: Connection | null }) {
  const example = connection
    ? `etcdctl --endpoints=${connection.endpoints.join(",")} --user ${connection.username}:$CREDENTIAL put ${connection.prefix}hello world`
    : "";
  return (
    <Card>
      <CardHeader>
        <CardTitle>Connection</CardTitle>
      </CardHeader>
      <CardContent className="flex min-w-0 flex-col gap-3 text-sm" aria-label="Connection" role="region">
        {connection ? (
          <>
            <dl className="grid grid-cols-[auto_minmax(0,1fr)_auto] items-center gap-x-3 gap-y-2">
              <dt className="text-muted-foreground">Endpoints</dt>
              <dd className="truncate font-mono text-xs" data-testid="connection-endpoints">
                {connection.endpoints.join(",")}
              </dd>
              <dd>
                <CopyButton value={connection.endpoints.join(",")} label="Copy endpoints" />
              </dd>
              <dt className="text-muted-foreground">User</dt>
              <dd className="truncate font-mono text-xs" data-testid="connection-user">
                {connection.username}
              </dd>
              <dd>
                <CopyButton value={connection.username} label="Copy user" />
              </dd>
              <dt className="text-muted-foreground">Prefix</dt>
              <dd className="truncate font-mono text-xs" data-testid="connection-prefix">
                {connection.prefix}
              </dd>
              <dd>
                <CopyButton value={connection.prefix} label="Copy prefix" />
              </dd>
            </dl>
            <p className="text-xs text-muted-foreground">
              Any etcd v3 client works (etcdctl, the Go or Node clients) with the credential you were shown once; every key lives under the
              prefix, and keys outside it are refused.
            </p>
            <code className="block overflow-x-auto rounded bg-muted p-2 font-mono text-xs whitespace-pre">{example}</code>
          </>
        ) : (
          <p className="text-muted-foreground">Not writable yet: the state server is starting its members and electing a leader.</p>
        )}
      </CardContent>
    </Card>
  );
}
