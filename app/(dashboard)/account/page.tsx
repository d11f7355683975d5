import type { Metadata } from "next";
import { ApiTokens } from "@/components/account/api-tokens";
import { PageHeader } from "@/components/shell/page-header";
import { requireSession } from "@/components/shell/require-role";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  await requireSession();
  await prefetch(trpc.account.tokens.queryOptions());
  return (
    <>
      <PageHeader title="API tokens" description="Personal tokens for the CLI and automation. They act as you, with your roles." />
      <HydrateClient>
        <ApiTokens />
      </HydrateClient>
    </>
  );
}
