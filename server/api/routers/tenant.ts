import { listTenants } from "../../services/fleet";
import { PageInput } from "../../services/pagination";
import { router, supportProcedure } from "../trpc";

export const tenantRouter = router({
  list: supportProcedure.input(PageInput).query(({ ctx, input }) => listTenants(ctx.db, ctx.caller, input)),
});
