import { signOutEverywhere } from "../../services/sessions";
import { authedProcedure, publicProcedure, router } from "../trpc";

export const sessionRouter = router({
  /** The caller's session, or null when signed out (never an error). */
  get: publicProcedure.query(({ ctx }) => ctx.session),
  /** Requires a session: the simplest check that a session is alive. */
  me: authedProcedure.query(({ ctx }) => ctx.session.user),
  /** Ends every browser session of the caller, this one included. */
  signOutEverywhere: authedProcedure.mutation(({ ctx }) => signOutEverywhere(ctx.db, ctx.caller)),
});
