import { AlertTriangleIcon, CheckCircle2Icon, Loader2Icon, ServerIcon, ShieldAlertIcon } from "lucide-react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

export type Preview = inferRouterOutputs<AppRouter>["environment"]["preview"];

/** The live what-if next to the create form: policy, quota, and where it would run. */
export function CreatePreview({ preview, loading }: { preview: Preview | undefined; loading: boolean }) {
  if (!preview) {
    return (
      <p className="flex items-center gap-2 text-sm text-muted-foreground">
        {loading ? <Loader2Icon aria-hidden="true" className="size-4 animate-spin" /> : null}
        {loading ? "Working out where it would run…" : "Choose a tenant and a zone to see where it would run."}
      </p>
    );
  }
  const { placement, quota, violations } = preview;
  return (
    <div className="flex flex-col gap-4 text-sm" aria-busy={loading} data-testid="create-preview">
      <section aria-label="Policy" className="flex flex-col gap-1">
        <h3 className="font-medium">Policy</h3>
        {violations.length === 0 && !quota.exceeded ? (
          <p className="flex items-center gap-2 text-success">
            <CheckCircle2Icon aria-hidden="true" className="size-4" /> Allowed by every policy rule
          </p>
        ) : violations.length === 0 ? (
          <p className="text-muted-foreground">No policy rule forbids it.</p>
        ) : (
          <ul className="flex flex-col gap-1">
            {violations.map((v) => (
              <li key={v.rule} className="flex items-start gap-2 text-destructive">
                <ShieldAlertIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
                <span>
                  Forbidden by <strong className="font-mono">{v.rule}</strong>: {v.message.replace(/^Policy "[^"]+": /, "")}
                </span>
              </li>
            ))}
          </ul>
        )}
        {preview.nameTaken ? <p className="text-destructive">That name is already used in this tenant.</p> : null}
      </section>

      <section aria-label="Quota" className="flex flex-col gap-1">
        <h3 className="font-medium">Quota it uses</h3>
        {quota.exceeded ? (
          <p role="alert" className="flex items-start gap-2 text-destructive" data-testid="quota-refusal">
            <AlertTriangleIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
            {quota.exceeded}
          </p>
        ) : null}
        <table className="w-full text-left">
          <tbody>
            {quota.lines.map((l) => {
              const over = l.used + l.adds > l.max;
              return (
                <tr key={l.what} className={over ? "text-destructive" : undefined}>
                  <td className="py-0.5 pr-2 text-muted-foreground">{l.what}</td>
                  <td className="py-0.5 text-right tabular-nums">
                    {l.used} + <strong>{l.adds}</strong> of {l.max}
                    {over ? " (over)" : ""}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      <section aria-label="Placement" className="flex flex-col gap-1">
        <h3 className="font-medium">State server</h3>
        {placement ? (
          <>
            <p className="flex items-start gap-2">
              <ServerIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
              <span data-testid="preview-decision">
                {placement.decision === "existing"
                  ? `Joins the existing state server ${placement.stateServerName}`
                  : placement.decision === "new"
                    ? `A new ${placement.tenancy} state server will be created`
                    : placement.message}
              </span>
            </p>
            {placement.replicas.length ? (
              <ul className="ml-6 list-disc text-muted-foreground">
                {placement.replicas.map((r) => (
                  <li key={r.ordinal}>
                    replica {r.ordinal} on <span className="font-mono text-foreground">{r.hostName}</span>
                    {r.failureDomain ? ` (${r.failureDomain})` : ""}
                  </li>
                ))}
              </ul>
            ) : null}
            {placement.unplaced.map((u) => (
              <p key={u.ordinal} className="flex items-start gap-2 text-foreground">
                <AlertTriangleIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
                Replica {u.ordinal} has no host yet: {u.message}. It will wait until a host has room.
              </p>
            ))}
          </>
        ) : (
          <p className="text-muted-foreground">Unknown zone.</p>
        )}
      </section>
    </div>
  );
}
