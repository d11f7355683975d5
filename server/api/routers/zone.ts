import { listZones } from "../../services/fleet";
import { PageInput } from "../../services/pagination";
import { router, supportProcedure } from "../trpc";

export const zoneRouter = router({
  list: supportProcedure.input(PageInput).query(({ ctx, input }) => listZones(ctx.db, ctx.caller, input)),
});
