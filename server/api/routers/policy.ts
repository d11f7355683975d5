import { listPolicies } from "../../services/fleet";
import { PageInput } from "../../services/pagination";
import { createPolicy, getPolicy, removePolicy, updatePolicy } from "../../services/policies";
import { adminProcedure, router, supportProcedure } from "../trpc";
import { ZCreatePolicyInput, ZPolicyIdInput, ZUpdatePolicyInput } from "../../contracts/policy";

export const policyRouter = router({
  list: supportProcedure.input(PageInput).query(({ ctx, input }) => listPolicies(ctx.db, ctx.caller, input)),
  get: supportProcedure.input(ZPolicyIdInput).query(({ ctx, input }) => getPolicy(ctx, input.id)),
  create: adminProcedure.input(ZCreatePolicyInput).mutation(({ ctx, input }) => createPolicy(ctx, input)),
  update: adminProcedure.input(ZUpdatePolicyInput).mutation(({ ctx, input }) => updatePolicy(ctx, input)),
  remove: adminProcedure.input(ZPolicyIdInput).mutation(({ ctx, input }) => removePolicy(ctx, input.id, input.reason)),
});
