import { listTenants } from "../../services/fleet";
import { inviteMember, listTenantInvitations, revokeInvitation } from "../../services/invitations";
import { removeMember, setMemberRole } from "../../services/members";
import { PageInput } from "../../services/pagination";
import { createTenant, getTenant, removeTenant, renameTenant, setTenantStatus } from "../../services/tenants";
import { adminProcedure, router, supportProcedure, tenantProcedure } from "../trpc";
import {
  ZAddMemberInput,
  ZCreateTenantInput,
  ZInvitationInput,
  ZMemberInput,
  ZMemberRoleInput,
  ZRenameTenantInput,
  ZTenantIdInput,
  ZTenantStatusInput,
} from "../../contracts/tenant";

export const tenantRouter = router({
  list: supportProcedure.input(PageInput).query(({ ctx, input }) => listTenants(ctx.db, ctx.caller, input)),
  get: tenantProcedure("viewer")
    .input(ZTenantIdInput)
    .query(({ ctx, input }) => getTenant(ctx, input.tenantId)),
  create: adminProcedure.input(ZCreateTenantInput).mutation(({ ctx, input }) => createTenant(ctx, input)),
  rename: adminProcedure.input(ZRenameTenantInput).mutation(({ ctx, input }) => renameTenant(ctx, input)),
  setStatus: adminProcedure.input(ZTenantStatusInput).mutation(({ ctx, input }) => setTenantStatus(ctx, input)),
  remove: adminProcedure.input(ZTenantIdInput).mutation(({ ctx, input }) => removeTenant(ctx, input.tenantId)),
  /** Invites the email (the same answer whether or not it has an account); they join when they accept. */
  addMember: tenantProcedure("owner")
    .input(ZAddMemberInput)
    .mutation(({ ctx, input }) => inviteMember(ctx, input)),
  invitations: tenantProcedure("owner")
    .input(ZTenantIdInput)
    .query(({ ctx, input }) => listTenantInvitations(ctx, input.tenantId)),
  revokeInvitation: tenantProcedure("owner")
    .input(ZInvitationInput)
    .mutation(({ ctx, input }) => revokeInvitation(ctx, input)),
  setMemberRole: tenantProcedure("owner")
    .input(ZMemberRoleInput)
    .mutation(({ ctx, input }) => setMemberRole(ctx, input)),
  removeMember: tenantProcedure("owner")
    .input(ZMemberInput)
    .mutation(({ ctx, input }) => removeMember(ctx, input)),
});
