import { z } from "zod";
import { ChangePasswordInput, CreateApiTokenInput, SignUpInput, UpdateSettingsInput } from "../../contracts/account";
import { ZMyInvitationInput } from "../../contracts/tenant";
import { answerInvitation, myInvitations } from "../../services/invitations";
import { changePassword } from "../../services/sessions";
import { createApiToken, listApiTokens, revokeApiToken } from "../../services/api-tokens";
import { getPlatformSettings, updatePlatformSettings } from "../../services/platform-settings";
import { signUp } from "../../services/signup";
import { adminProcedure, authedProcedure, publicProcedure, router } from "../trpc";

/** The caller's own account: sign-up, personal API tokens; platform sign-up settings for admins. */
export const accountRouter = router({
  signUpEnabled: publicProcedure.query(async ({ ctx }) => (await getPlatformSettings(ctx.db)).signupEnabled),
  signUp: publicProcedure.input(SignUpInput).mutation(({ ctx, input }) => signUp(ctx.db, input, ctx.requestId)),
  tokens: authedProcedure.query(({ ctx }) => listApiTokens(ctx.db, ctx.caller)),
  createToken: authedProcedure.input(CreateApiTokenInput).mutation(({ ctx, input }) => createApiToken(ctx.db, ctx.caller, input)),
  revokeToken: authedProcedure
    .input(z.object({ id: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => revokeApiToken(ctx.db, ctx.caller, input.id)),
  /** Ends every browser session of the caller with the old password. */
  changePassword: authedProcedure.input(ChangePasswordInput).mutation(({ ctx, input }) => changePassword(ctx.db, ctx.caller, input)),
  /** Invitations to tenants waiting for the caller (by their email). */
  invitations: authedProcedure.query(({ ctx }) => myInvitations(ctx.db, ctx.caller)),
  acceptInvitation: authedProcedure.input(ZMyInvitationInput).mutation(({ ctx, input }) => answerInvitation(ctx, input.invitationId, true)),
  declineInvitation: authedProcedure
    .input(ZMyInvitationInput)
    .mutation(({ ctx, input }) => answerInvitation(ctx, input.invitationId, false)),
  settings: adminProcedure.query(({ ctx }) => getPlatformSettings(ctx.db)),
  updateSettings: adminProcedure
    .input(UpdateSettingsInput)
    .mutation(({ ctx, input }) => updatePlatformSettings(ctx.db, ctx.caller, input, ctx.requestId)),
});
