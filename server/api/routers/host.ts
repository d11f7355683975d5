import { listHosts } from "../../services/fleet";
import { PageInput } from "../../services/pagination";
import { agentProcedure, router, supportProcedure } from "../trpc";

export const hostRouter = router({
  list: supportProcedure.input(PageInput).query(({ ctx, input }) => listHosts(ctx.db, ctx.caller, input)),
  /** A host agent reads its own record (and nothing else) with its credential. */
  self: agentProcedure.query(({ ctx }) =>
    ctx.db.host.findUniqueOrThrow({
      where: { id: ctx.host.id },
      select: { id: true, name: true, state: true, failureDomain: true, cpuMillis: true, memoryMiB: true },
    }),
  ),
});
