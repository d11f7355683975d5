import Link from "next/link";
import { humanize } from "@/components/ui/status-badge";

export type AuditTarget = {
  targetType: string;
  targetId: string | null;
  targetName?: string | null;
  tenantId: string | null;
};

/** Where a person reads more about an audit event's target; null when no page shows it. */
export function auditTargetHref(a: AuditTarget): string | null {
  const id = a.targetId;
  if (!id) return null;
  const name = a.targetName ?? "";
  switch (a.targetType) {
    case "environment":
      return `/environments/${encodeURIComponent(id)}`;
    case "tenant":
    case "quota":
      return `/admin/tenants/${encodeURIComponent(id)}`;
    case "membership":
    case "invitation":
      return a.tenantId ? `/admin/tenants/${encodeURIComponent(a.tenantId)}` : null;
    case "zone":
      return "/admin/zones";
    case "policy":
      return "/admin/policies";
    case "host":
      return name ? `/placement?host=${encodeURIComponent(name)}&open=${encodeURIComponent(name)}` : null;
    case "state_server":
      return name ? `/placement?server=${encodeURIComponent(name)}` : null;
    default:
      return null;
  }
}

/** "Zone shared-east" as a link; the raw id only when nothing names the target. */
export function AuditTargetCell({ target }: { target: AuditTarget }) {
  const href = auditTargetHref(target);
  const label = target.targetName ?? target.targetId;
  return (
    <span>
      {humanize(target.targetType)}{" "}
      {label ? (
        href ? (
          <Link
            prefetch={false}
            href={href}
            className="font-medium underline-offset-4 hover:underline"
            title={target.targetId ?? undefined}
          >
            {label}
          </Link>
        ) : (
          <span className={target.targetName ? "font-medium" : "font-mono text-xs text-muted-foreground"}>{label}</span>
        )
      ) : null}
    </span>
  );
}
