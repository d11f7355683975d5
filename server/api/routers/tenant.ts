import { listTenants } from "../../services/fleet";
import { addMember, removeMember, setMemberRole } from "../../services/members";
import { PageInput } from "../../services/pagination";
import { createTenant, getTenant, removeTenant, renameTenant, setTenantStatus } from "../../services/tenants";
import { adminProcedure, router, supportProcedure, tenantProcedure } from "../trpc";
import {
  ZAddMemberInput,
  ZCreateTenantInput,
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
  addMember: tenantProcedure("owner")
    .input(ZAddMemberInput)
    .mutation(({ ctx, input }) => addMember(ctx, input)),
  setMemberRole: tenantProcedure("owner")
    .input(ZMemberRoleInput)
    .mutation(({ ctx, input }) => setMemberRole(ctx, input)),
  removeMember: tenantProcedure("owner")
    .input(ZMemberInput)
    .mutation(({ ctx, input }) => removeMember(ctx, input)),
});
