import type { Metadata } from "next";
import { SignupSettingsCard } from "@/components/admin/signup-settings-card";
import { ForbiddenState } from "@/components/shell/forbidden-state";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageAccess } from "@/components/shell/require-role";
import { pageInput } from "@/components/ui/cursor-pagination";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const { session, allowed } = await requirePageAccess("/admin/settings");
  if (!allowed) return <ForbiddenState role={session.user.platformRole} />;
  await Promise.all([prefetch(trpc.account.settings.queryOptions()), prefetch(trpc.zone.list.queryOptions(pageInput(null, 100)))]);
  return (
    <>
      <PageHeader title="Settings" description="Installation-wide settings: who may sign up, and the free tier a new account gets." />
      <HydrateClient>
        <SignupSettingsCard />
      </HydrateClient>
    </>
  );
}
