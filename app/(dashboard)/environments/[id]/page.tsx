import type { Metadata } from "next";
import { EnvironmentDetail } from "@/components/environment/environment-detail";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageAccess } from "@/components/shell/require-role";
import { fetchOrNotFound, HydrateClient, trpc } from "@/server/api/rsc";

export const metadata: Metadata = { title: "Environment" };

export default async function EnvironmentPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageAccess("/environments");
  const { id } = await params;
  // Fetched (not only prefetched) so the heading has the name; the client hydrates from the same cache.
  const env = await fetchOrNotFound(trpc.environment.get.queryOptions({ id }));
  return (
    <>
      <PageHeader title={env.name} description="Status, replicas and endpoints; updates live." />
      <HydrateClient>
        <EnvironmentDetail id={id} />
      </HydrateClient>
    </>
  );
}
