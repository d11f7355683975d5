import { Fragment } from "react";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ClientCertificate } from "./client-certificate";
import { CopyButton } from "./copy-button";
import { PemDownload } from "./pem-download";

interface Connection {
  endpoints: string[];
  username: string;
  prefix: string;
  /** The state server's authority: its members speak TLS and admit only client certificates it signed (null: a plain-HTTP server). */
  caCert: string | null;
}

const fields = (c: Connection) => [
  { label: "Endpoints", value: c.endpoints.join(","), testId: "connection-endpoints" },
  { label: "User", value: c.username, testId: "connection-user" },
  { label: "Prefix", value: c.prefix, testId: "connection-prefix" },
];

const tlsFlags = "--cacert=ca.crt --cert=client.crt --key=client.key ";

/**
 * How to reach the environment with any etcd v3 client: its endpoints, its user and its prefix (the credential was shown
 * once), and on a TLS state server its authority and a client certificate (`canIssue`: the caller may get one).
 */
export function ConnectionCard({
  connection,
  environmentId,
  canIssue,
}: {
  connection: Connection | null;
  environmentId: string;
  canIssue: boolean;
}) {
  const example = connection
    ? `etcdctl --endpoints=${connection.endpoints.join(",")} ${connection.caCert ? tlsFlags : ""}--user ${connection.username}:$CREDENTIAL put ${connection.prefix}hello world`
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
              {fields(connection).map(({ label, value, testId }) => (
                <Fragment key={label}>
                  <dt className="text-muted-foreground">{label}</dt>
                  <dd className="truncate font-mono text-xs" data-testid={testId}>
                    {value}
                  </dd>
                  <dd>
                    <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} />
                  </dd>
                </Fragment>
              ))}
            </dl>
            <p className="text-xs text-muted-foreground">
              Any etcd v3 client works (etcdctl, the Go or Node clients) with the credential you were shown once; every key lives under the
              prefix, and keys outside it are refused.
            </p>
            {connection.caCert ? (
              <div className="flex flex-col gap-2" data-testid="connection-tls">
                <p className="text-xs text-muted-foreground">
                  The members speak TLS and admit only clients holding a certificate of this state server&apos;s authority. A certificate
                  only admits: every key still needs the credential.
                </p>
                <div className="flex flex-wrap gap-2">
                  <PemDownload pem={connection.caCert} fileName="ca.crt" label="ca.crt (authority)" />
                  {canIssue ? <ClientCertificate environmentId={environmentId} /> : null}
                </div>
              </div>
            ) : null}
            <code className="block overflow-x-auto rounded bg-muted p-2 font-mono text-xs whitespace-pre">{example}</code>
          </>
        ) : (
          <p className="text-muted-foreground">Not writable yet: the state server is starting its members and electing a leader.</p>
        )}
      </CardContent>
    </Card>
  );
}
