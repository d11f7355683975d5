import { PlusIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EnvironmentList } from "@/components/environment/environment-list";
import { QuotaSummary } from "@/components/environment/quota-summary";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageAccess } from "@/components/shell/require-role";
import { Button } from "@/components/ui/button";
import { pageInput } from "@/components/ui/cursor-pagination";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";

export const metadata: Metadata = { title: "Environments" };

export default async function EnvironmentsPage() {
  const { session } = await requirePageAccess("/environments");
  const canCreate = session.user.memberships.some((m) => m.role !== "viewer");
  await Promise.all([
    prefetch(trpc.environment.list.queryOptions(pageInput(null))),
    canCreate ? prefetch(trpc.environment.createOptions.queryOptions()) : null,
  ]);
  return (
    <>
      <PageHeader
        title="Environments"
        description="Isolated deployment spaces of your tenants, each served by a shared or dedicated state server."
        actions={
          canCreate ? (
            <Button asChild>
              <Link prefetch={false} href="/environments/new">
                <PlusIcon aria-hidden="true" />
                New environment
              </Link>
            </Button>
          ) : null
        }
      />
      <HydrateClient>
        {canCreate ? <QuotaSummary /> : null}
        <EnvironmentList canOpenMap={session.user.platformRole !== "user"} />
      </HydrateClient>
    </>
  );
}
