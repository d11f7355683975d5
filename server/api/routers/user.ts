import { SetUserDisabledInput } from "../../contracts/account";
import { setUserDisabled } from "../../services/sessions";
import { adminProcedure, router } from "../trpc";

/** Users as administrators manage them. */
export const userRouter = router({
  /** Disabling ends every browser session of the user at once; its API tokens stop with it (the session is re-read per request). */
  setDisabled: adminProcedure
    .input(SetUserDisabledInput)
    .mutation(({ ctx, input }) => setUserDisabled(ctx.db, ctx.caller, input.userId, input.disabled)),
});
