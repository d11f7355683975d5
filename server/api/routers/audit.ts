import { listAuditEvents } from "../../services/audit";
import { PageInput } from "../../services/pagination";
import { router, supportProcedure } from "../trpc";

export const auditRouter = router({
  list: supportProcedure.input(PageInput).query(({ ctx, input }) => listAuditEvents(ctx.db, ctx.caller, input)),
});
