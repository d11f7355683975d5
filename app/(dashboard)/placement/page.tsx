import { isAdminSession } from "@/server/auth/caller";
import type { Metadata } from "next";
import { Suspense } from "react";
import { PlacementExplorer } from "@/components/placement/placement-explorer";
import { ForbiddenState } from "@/components/shell/forbidden-state";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageAccess } from "@/components/shell/require-role";
import { Skeleton } from "@/components/ui/skeleton";

export const metadata: Metadata = { title: "Placement" };

/**
 * The map is not prefetched on the server: its payload (~1 MB for 30k replicas)
 * would be inlined into the HTML twice (flight data and dehydrated cache); the
 * client fetches it once, gzipped, and polls a version marker afterwards. The
 * live map's fetch starts with the HTML (a preload link the explorer's own
 * fetch picks up) instead of after the scripts have loaded and hydrated. The
 * link is an element, not react-dom's preload(): the page streams after the
 * layout's loading boundary, so a preload() hint reaches the browser only in
 * the flight data, which is read once the scripts run.
 */
export default async function PlacementPage({ searchParams }: { searchParams: Promise<Record<string, unknown>> }) {
  const { session, allowed } = await requirePageAccess("/placement");
  if (!allowed) return <ForbiddenState role={session.user.platformRole} />;
  const live = !(await searchParams).at;
  return (
    <>
      {live ? <link rel="preload" href="/api/placement/map" as="fetch" crossOrigin="anonymous" /> : null}
      <PageHeader
        title="Placement"
        description="Where state server replicas run across the host fleet, by security zone, failure domain and host; why, what is at risk, and what moved."
      />
      <Suspense fallback={<Skeleton className="h-[600px]" />}>
        <PlacementExplorer isAdmin={isAdminSession(session)} />
      </Suspense>
    </>
  );
}
