import { listAuditEventsFiltered } from "../../services/audit-query";
import { verifyAuditChainFor } from "../../services/audit-verify";
import { router, supportProcedure } from "../trpc";
import { ZAuditListInput } from "../../contracts/audit";

export const auditRouter = router({
  list: supportProcedure.input(ZAuditListInput).query(({ ctx, input }) => listAuditEventsFiltered(ctx.db, ctx.caller, input)),
  /** Recomputes the hash chain and reports the first broken link. */
  verify: supportProcedure.query(({ ctx }) => verifyAuditChainFor(ctx.db, ctx.caller)),
});
