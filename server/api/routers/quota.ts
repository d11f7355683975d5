import { getQuota, updateQuota } from "../../services/quotas";
import { adminProcedure, router, tenantProcedure } from "../trpc";
import { ZTenantIdInput, ZUpdateQuotaInput } from "../../contracts/tenant";

export const quotaRouter = router({
  get: tenantProcedure("viewer")
    .input(ZTenantIdInput)
    .query(({ ctx, input }) => getQuota(ctx, input.tenantId)),
  /** Lowering below usage is allowed: the answer flags it, and only new creations are blocked. */
  update: adminProcedure.input(ZUpdateQuotaInput).mutation(({ ctx, input }) => updateQuota(ctx, input)),
});
