import { isAdminSession } from "@/server/auth/caller";
import type { Metadata } from "next";
import { TenantList } from "@/components/tenant/tenant-list";
import { ForbiddenState } from "@/components/shell/forbidden-state";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageAccess } from "@/components/shell/require-role";
import { pageInput } from "@/components/ui/cursor-pagination";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";

export const metadata: Metadata = { title: "Tenants" };

export default async function TenantsPage() {
  const { session, allowed } = await requirePageAccess("/admin/tenants");
  if (!allowed) return <ForbiddenState role={session.user.platformRole} />;
  await prefetch(trpc.tenant.list.queryOptions(pageInput(null)));
  return (
    <>
      <PageHeader title="Tenants" description="Organisations on the platform, with their members and environments." />
      <HydrateClient>
        <TenantList canEdit={isAdminSession(session)} />
      </HydrateClient>
    </>
  );
}
