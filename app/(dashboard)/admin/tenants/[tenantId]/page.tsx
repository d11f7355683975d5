import { isAdminSession } from "@/server/auth/caller";
import type { Metadata } from "next";
import Link from "next/link";
import { ForbiddenState } from "@/components/shell/forbidden-state";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageAccess } from "@/components/shell/require-role";
import { TenantDetail } from "@/components/tenant/tenant-detail";
import { fetchOrNotFound, HydrateClient, trpc } from "@/server/api/rsc";

export const metadata: Metadata = { title: "Tenant" };

export default async function TenantPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { session, allowed } = await requirePageAccess("/admin/tenants");
  if (!allowed) return <ForbiddenState role={session.user.platformRole} />;
  const { tenantId } = await params;
  await fetchOrNotFound(trpc.tenant.get.queryOptions({ tenantId }));
  return (
    <>
      <PageHeader
        title="Tenant"
        description="Members, quota with usage, and security zone grants."
        actions={
          <Link prefetch={false} href="/admin/tenants" className="text-sm underline-offset-4 hover:underline">
            ← All tenants
          </Link>
        }
      />
      <HydrateClient>
        <TenantDetail tenantId={tenantId} canEdit={isAdminSession(session)} />
      </HydrateClient>
    </>
  );
}
