"use client";

import { useMutation } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { UsersIcon } from "lucide-react";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { DataGrid } from "@/components/ui/data-grid";
import { Field, Select, ZodForm } from "@/components/admin/field";
import { useZodForm } from "@/components/admin/use-zod-form";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { describeError } from "@/components/ui/query-error-alert";
import { ZAddMemberInput } from "@/server/contracts/tenant";
import { TENANT_ROLES, type TenantRole } from "@/server/auth/types";
import { useTenantInvalidate } from "./tenant-detail";

type Member = { userId: string; email: string; name: string; role: TenantRole };

export function TenantMembersCard({ tenantId, members, canEdit }: { tenantId: string; members: Member[]; canEdit: boolean }) {
  const trpc = useTRPC();
  const invalidate = useTenantInvalidate(tenantId);
  const onError = (e: unknown) => toast.error(describeError(e).message);
  const setRole = useMutation(
    trpc.tenant.setMemberRole.mutationOptions({ onSuccess: async () => (await invalidate(), toast.success("Role changed")), onError }),
  );
  const remove = useMutation(
    trpc.tenant.removeMember.mutationOptions({ onSuccess: async () => (await invalidate(), toast.success("Member removed")), onError }),
  );
  const columns: ColumnDef<Member, unknown>[] = [
    { id: "name", header: "Name", accessorKey: "name" },
    { id: "email", header: "Email", accessorKey: "email" },
    {
      id: "role",
      header: "Role",
      accessorKey: "role",
      cell: ({ row: { original: m } }) =>
        canEdit ? (
          <Select
            aria-label={`Role of ${m.email}`}
            value={m.role}
            onChange={(e) => setRole.mutate({ tenantId, userId: m.userId, role: e.target.value as TenantRole })}
          >
            {TENANT_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
        ) : (
          m.role
        ),
    },
    ...(canEdit
      ? [
          {
            id: "actions",
            header: "",
            enableSorting: false,
            cell: ({ row: { original: m } }: { row: { original: Member } }) => (
              <ConfirmButton
                label="Remove"
                variant="outline"
                title={`Remove ${m.email}?`}
                description="They lose access to this tenant's environments. The last owner cannot be removed."
                confirmLabel="Remove member"
                onConfirm={() => remove.mutate({ tenantId, userId: m.userId })}
              />
            ),
          } satisfies ColumnDef<Member, unknown>,
        ]
      : []),
  ];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Members</CardTitle>
        <CardDescription>Owners manage members; members create environments; viewers read.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <DataGrid
          caption="Members"
          columns={columns}
          data={members}
          rowKey={(m) => m.userId}
          empty={<EmptyState icon={<UsersIcon />} title="No members yet" description="Add a member by email below." />}
        />
        {canEdit ? <AddMemberForm tenantId={tenantId} onDone={invalidate} /> : null}
      </CardContent>
    </Card>
  );
}

function AddMemberForm({ tenantId, onDone }: { tenantId: string; onDone: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const initial = { tenantId, email: "", role: "member" as TenantRole };
  const form = useZodForm(ZAddMemberInput, initial);
  const add = useMutation(
    trpc.tenant.addMember.mutationOptions({
      onSuccess: async (m) => {
        await onDone();
        form.reset(initial);
        // The same answer whether or not the email has an account: they join once they accept.
        toast.success(`Invitation sent to ${m.email}: they join when they accept it on their account page`);
      },
      onError: (e) => form.fail(e),
    }),
  );
  return (
    <ZodForm
      form={form}
      aria-label="Add member"
      className="grid gap-3 border-t pt-4 sm:grid-cols-2"
      errorClassName="sm:col-span-2"
      onValid={(data) => add.mutate(data)}
    >
      <Field label="Member email" error={form.errors.email}>
        {(p) => <Input {...p} type="email" value={form.values.email} onChange={(e) => form.set("email", e.target.value)} />}
      </Field>
      <Field label="Role" error={form.errors.role}>
        {(p) => (
          <Select {...p} value={form.values.role} onChange={(e) => form.set("role", e.target.value as TenantRole)}>
            {TENANT_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <div className="sm:col-span-2">
        <Button type="submit" size="sm" disabled={add.isPending}>
          Invite member
        </Button>
      </div>
    </ZodForm>
  );
}
