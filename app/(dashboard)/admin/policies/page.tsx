import { isAdminSession } from "@/server/auth/caller";
import type { Metadata } from "next";
import { PolicyList } from "@/components/policy/policy-list";
import { ForbiddenState } from "@/components/shell/forbidden-state";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageAccess } from "@/components/shell/require-role";
import { pageInput } from "@/components/ui/cursor-pagination";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";

export const metadata: Metadata = { title: "Policies" };

export default async function PoliciesPage() {
  const { session, allowed } = await requirePageAccess("/admin/policies");
  if (!allowed) return <ForbiddenState role={session.user.platformRole} />;
  await Promise.all([
    prefetch(trpc.policy.list.queryOptions(pageInput(null))),
    prefetch(trpc.tenant.list.queryOptions({ limit: 100 })),
    prefetch(trpc.zone.list.queryOptions({ limit: 100 })),
  ]);
  return (
    <>
      <PageHeader title="Policies" description="Rules checked on every change and by the placement engine." />
      <HydrateClient>
        <PolicyList canEdit={isAdminSession(session)} />
      </HydrateClient>
    </>
  );
}
