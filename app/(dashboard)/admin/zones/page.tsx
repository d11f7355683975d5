import { isAdminSession } from "@/server/auth/caller";
import type { Metadata } from "next";
import { ZoneList } from "@/components/zone/zone-list";
import { ForbiddenState } from "@/components/shell/forbidden-state";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageAccess } from "@/components/shell/require-role";
import { pageInput } from "@/components/ui/cursor-pagination";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";

export const metadata: Metadata = { title: "Zones" };

export default async function ZonesPage() {
  const { session, allowed } = await requirePageAccess("/admin/zones");
  if (!allowed) return <ForbiddenState role={session.user.platformRole} />;
  await prefetch(trpc.zone.list.queryOptions(pageInput(null)));
  return (
    <>
      <PageHeader
        title="Zones"
        description="Security zones group hosts by purpose and isolation; policies decide which tenants may use them."
      />
      <HydrateClient>
        <ZoneList canEdit={isAdminSession(session)} />
      </HydrateClient>
    </>
  );
}
