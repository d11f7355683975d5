import type { Metadata } from "next";
import { AuditList } from "@/components/audit/audit-list";
import { ForbiddenState } from "@/components/shell/forbidden-state";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageAccess } from "@/components/shell/require-role";
import { pageInput } from "@/components/ui/cursor-pagination";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage() {
  const { session, allowed } = await requirePageAccess("/admin/audit");
  if (!allowed) return <ForbiddenState role={session.user.platformRole} />;
  await Promise.all([prefetch(trpc.audit.list.queryOptions(pageInput(null))), prefetch(trpc.tenant.list.queryOptions({ limit: 100 }))]);
  return (
    <>
      <PageHeader title="Audit" description="Append-only record of every change: who did what, to which target." />
      <HydrateClient>
        <AuditList />
      </HydrateClient>
    </>
  );
}
