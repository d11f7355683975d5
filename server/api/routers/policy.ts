import { listPolicies } from "../../services/fleet";
import { PageInput } from "../../services/pagination";
import { router, supportProcedure } from "../trpc";

export const policyRouter = router({
  list: supportProcedure.input(PageInput).query(({ ctx, input }) => listPolicies(ctx.db, ctx.caller, input)),
});
