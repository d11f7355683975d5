import { isAdminSession } from "@/server/auth/caller";
import type { Metadata } from "next";
import { HostList } from "@/components/host/host-list";
import { ForbiddenState } from "@/components/shell/forbidden-state";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageAccess } from "@/components/shell/require-role";
import { pageInput } from "@/components/ui/cursor-pagination";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";

export const metadata: Metadata = { title: "Hosts" };

export default async function HostsPage() {
  const { session, allowed } = await requirePageAccess("/admin/hosts");
  if (!allowed) return <ForbiddenState role={session.user.platformRole} />;
  await prefetch(trpc.host.list.queryOptions(pageInput(null)));
  return (
    <>
      <PageHeader
        title="Hosts"
        description="Machines that run state server replicas: capacity, failure domain, state and last heartbeat."
      />
      <HydrateClient>
        <HostList canEdit={isAdminSession(session)} />
      </HydrateClient>
    </>
  );
}
