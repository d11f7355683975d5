import { placementSummary } from "../../services/fleet";
import { hostDetail } from "../../services/placement-map/host-detail";
import { placementHistory } from "../../services/placement-map/history";
import { explainReplica, quorumRisks, whatIfLoss } from "../../services/placement-map/insight";
import { loadPlacementMap, placementVersion } from "../../services/placement-map/map";
import { router, supportProcedure } from "../trpc";
import { ZExplainInput, ZHistoryInput, ZHostDetailInput, ZMapInput, ZWhatIfInput } from "../../contracts/placement";

export const placementRouter = router({
  summary: supportProcedure.query(({ ctx }) => placementSummary(ctx.db, ctx.caller)),
  /** The whole fleet in one columnar payload (see services/placement-map/types.ts). */
  map: supportProcedure.input(ZMapInput).query(({ ctx, input }) => loadPlacementMap(ctx.db, ctx.caller, input.asOf ?? null)),
  /** Cheap change marker the map polls; the map itself is refetched only when it changes. */
  version: supportProcedure.query(({ ctx }) => placementVersion(ctx.db, ctx.caller)),
  host: supportProcedure.input(ZHostDetailInput).query(({ ctx, input }) => hostDetail(ctx.db, ctx.caller, input.hostId)),
  explain: supportProcedure.input(ZExplainInput).query(({ ctx, input }) => explainReplica(ctx.db, ctx.caller, input)),
  risks: supportProcedure.query(({ ctx }) => quorumRisks(ctx.db, ctx.caller)),
  whatIf: supportProcedure.input(ZWhatIfInput).query(({ ctx, input }) => whatIfLoss(ctx.db, ctx.caller, input)),
  history: supportProcedure.input(ZHistoryInput).query(({ ctx, input }) => placementHistory(ctx.db, ctx.caller, input)),
});
