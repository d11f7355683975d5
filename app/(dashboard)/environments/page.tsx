import type { Metadata } from "next";
import { EnvironmentList } from "@/components/environment/environment-list";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageAccess } from "@/components/shell/require-role";
import { pageInput } from "@/components/ui/cursor-pagination";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";

export const metadata: Metadata = { title: "Environments" };

export default async function EnvironmentsPage() {
  await requirePageAccess("/environments");
  prefetch(trpc.environment.list.queryOptions(pageInput(null)));
  return (
    <>
      <PageHeader
        title="Environments"
        description="Isolated deployment spaces of your tenants, each served by a shared or dedicated state server."
      />
      <HydrateClient>
        <EnvironmentList />
      </HydrateClient>
    </>
  );
}
