import { listEnvironments } from "../../services/environments";
import { PageInput } from "../../services/pagination";
import { authedProcedure, router } from "../trpc";

export const environmentRouter = router({
  list: authedProcedure.input(PageInput).query(({ ctx, input }) => listEnvironments(ctx.db, ctx.caller, input)),
});
