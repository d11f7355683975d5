import { listHosts } from "../../services/fleet";
import { drainPreview, registerHost, setHostState } from "../../services/host-admin";
import { drainHost } from "../../services/host-drain";
import { PageInput } from "../../services/pagination";
import { adminProcedure, router, supportProcedure } from "../trpc";
import { ZDrainHostInput, ZHostIdInput, ZHostStateInput, ZRegisterHostInput } from "../../contracts/host";

export const hostRouter = router({
  list: supportProcedure.input(PageInput).query(({ ctx, input }) => listHosts(ctx.db, ctx.caller, input)),
  register: adminProcedure.input(ZRegisterHostInput).mutation(({ ctx, input }) => registerHost(ctx, input)),
  setState: adminProcedure.input(ZHostStateInput).mutation(({ ctx, input }) => setHostState(ctx, input)),
  /** Host → draining and the engine's moves pre-placed, in one transaction; CONFLICT when it is already draining. */
  drain: adminProcedure.input(ZDrainHostInput).mutation(({ ctx, input }) => drainHost(ctx, input)),
  drainPreview: supportProcedure.input(ZHostIdInput).query(({ ctx, input }) => drainPreview(ctx, input.hostId)),
});
