"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { MailIcon } from "lucide-react";
import { toast } from "sonner";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDate } from "@/components/ui/format-date";
import { QueryErrorAlert, describeError } from "@/components/ui/query-error-alert";

/** Invitations to tenants waiting for the signed-in user: nobody joins a tenant without accepting here. */
export function InvitationsCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invitations = useQuery(trpc.account.invitations.queryOptions());
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.account.invitations.queryKey() });
    // A new membership changes the session's tenants and what the lists show.
    await queryClient.invalidateQueries({ queryKey: trpc.session.pathKey() });
  };
  const onError = (e: unknown) => toast.error(describeError(e).message);
  const accept = useMutation(
    trpc.account.acceptInvitation.mutationOptions({
      onSuccess: async () => (await refresh(), toast.success("Invitation accepted")),
      onError,
    }),
  );
  const decline = useMutation(
    trpc.account.declineInvitation.mutationOptions({
      onSuccess: async () => (await refresh(), toast.success("Invitation declined")),
      onError,
    }),
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle>Invitations</CardTitle>
        <CardDescription>Tenants whose owners invited you. You join a tenant only when you accept.</CardDescription>
      </CardHeader>
      <CardContent>
        {invitations.error ? <QueryErrorAlert error={invitations.error} /> : null}
        {invitations.data?.length === 0 ? (
          <EmptyState icon={<MailIcon />} title="No invitations" description="When a tenant owner invites your email, it shows here." />
        ) : null}
        <ul className="flex flex-col divide-y" aria-label="Invitations">
          {invitations.data?.map((invitation) => (
            <li key={invitation.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
              <div className="text-sm">
                <div className="font-medium">{invitation.tenant.name}</div>
                <div className="text-muted-foreground">
                  as {invitation.role}
                  {invitation.invitedBy ? `, invited by ${invitation.invitedBy.name}` : ""}; expires {formatDate(invitation.expiresAt)}
                </div>
              </div>
              <div className="flex gap-2">
                <Button
                  size="sm"
                  disabled={accept.isPending}
                  aria-label={`Accept the invitation to ${invitation.tenant.name}`}
                  onClick={() => accept.mutate({ invitationId: invitation.id })}
                >
                  Accept
                </Button>
                <Button
                  size="sm"
                  variant="outline"
                  disabled={decline.isPending}
                  aria-label={`Decline the invitation to ${invitation.tenant.name}`}
                  onClick={() => decline.mutate({ invitationId: invitation.id })}
                >
                  Decline
                </Button>
              </div>
            </li>
          ))}
        </ul>
      </CardContent>
    </Card>
  );
}
