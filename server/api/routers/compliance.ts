import { applyRemediation, complianceReport, ZApplyRemediationInput } from "../../services/compliance";
import { adminProcedure, router, supportProcedure } from "../trpc";

export const complianceRouter = router({
  report: supportProcedure.query(({ ctx }) => complianceReport(ctx)),
  applyPlan: adminProcedure.input(ZApplyRemediationInput).mutation(({ ctx, input }) => applyRemediation(ctx, input)),
});
