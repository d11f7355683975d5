import type { Metadata } from "next";
import { CreateEnvironmentForm } from "@/components/environment/create-environment-form";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageAccess } from "@/components/shell/require-role";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";

export const metadata: Metadata = { title: "New environment" };

export default async function NewEnvironmentPage() {
  await requirePageAccess("/environments");
  await prefetch(trpc.environment.createOptions.queryOptions());
  return (
    <>
      <PageHeader
        title="New environment"
        description="It joins a shared state server or gets one of its own, as policy and room allow; you see which before you confirm."
      />
      <HydrateClient>
        <CreateEnvironmentForm />
      </HydrateClient>
    </>
  );
}
