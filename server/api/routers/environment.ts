import { createEnvironment } from "../../services/environment-create";
import { listEnvironments } from "../../services/environments";
import { PageInput } from "../../services/pagination";
import { authedProcedure, router, tenantProcedure } from "../trpc";
import { ZCreateEnvironmentInput } from "./environment.schema";

export const environmentRouter = router({
  list: authedProcedure.input(PageInput).query(({ ctx, input }) => listEnvironments(ctx.db, ctx.caller, input)),
  /** The enforcement point: zone grant, policy, quota, in one transaction. Returns the credential once. */
  create: tenantProcedure("member")
    .input(ZCreateEnvironmentInput)
    .mutation(({ ctx, input }) => createEnvironment(ctx, input)),
});
