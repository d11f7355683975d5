import type { Metadata } from "next";
import { ApiTokens } from "@/components/account/api-tokens";
import { InvitationsCard } from "@/components/account/invitations-card";
import { SessionsCard } from "@/components/account/sessions-card";
import { PageHeader } from "@/components/shell/page-header";
import { requireSession } from "@/components/shell/require-role";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  await requireSession();
  await Promise.all([prefetch(trpc.account.tokens.queryOptions()), prefetch(trpc.account.invitations.queryOptions())]);
  return (
    <>
      <PageHeader title="API tokens" description="Personal tokens for the CLI and automation. They act as you, with your roles." />
      <HydrateClient>
        <div className="flex flex-col gap-8">
          <InvitationsCard />
          <ApiTokens />
          <SessionsCard />
        </div>
      </HydrateClient>
    </>
  );
}
