import type { Metadata } from "next";
import { PlacementSummary } from "@/components/placement/placement-summary";
import { ForbiddenState } from "@/components/shell/forbidden-state";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageAccess } from "@/components/shell/require-role";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";

export const metadata: Metadata = { title: "Placement" };

export default async function PlacementPage() {
  const { session, allowed } = await requirePageAccess("/placement");
  if (!allowed) return <ForbiddenState role={session.user.platformRole} />;
  prefetch(trpc.placement.summary.queryOptions());
  return (
    <>
      <PageHeader
        title="Placement"
        description="Where state server replicas run across the host fleet, by security zone and failure domain."
      />
      <HydrateClient>
        <PlacementSummary />
      </HydrateClient>
    </>
  );
}
