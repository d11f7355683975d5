import { isAdminSession } from "@/server/auth/caller";
import type { Metadata } from "next";
import { ComplianceReport } from "@/components/compliance/compliance-report";
import { ForbiddenState } from "@/components/shell/forbidden-state";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageAccess } from "@/components/shell/require-role";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";

export const metadata: Metadata = { title: "Compliance" };

export default async function CompliancePage() {
  const { session, allowed } = await requirePageAccess("/admin/compliance");
  if (!allowed) return <ForbiddenState role={session.user.platformRole} />;
  await prefetch(trpc.compliance.report.queryOptions());
  return (
    <>
      <PageHeader title="Compliance" description="Every environment and replica that breaks a rule now, with the engine's remediation." />
      <HydrateClient>
        <ComplianceReport canApply={isAdminSession(session)} />
      </HydrateClient>
    </>
  );
}
