import { placementSummary } from "../../services/fleet";
import { router, supportProcedure } from "../trpc";

export const placementRouter = router({
  summary: supportProcedure.query(({ ctx }) => placementSummary(ctx.db, ctx.caller)),
});
