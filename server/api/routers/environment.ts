import { z } from "zod";
import { createEnvironment } from "../../services/environment-create";
import {
  createOptions,
  environmentIdByName,
  getEnvironmentDetail,
  issueClientCertificate,
  moveEnvironment,
  previewEnvironment,
  removeEnvironment,
  rotateEnvironmentCredential,
  setEnvironmentHa,
} from "../../services/environment-lifecycle";
import { listEnvironments } from "../../services/environments";
import { PageInput } from "../../services/pagination";
import { authedProcedure, router, tenantProcedure } from "../trpc";
import {
  ZCreateEnvironmentInput,
  ZEnvironmentRef,
  ZMoveEnvironmentInput,
  ZPreviewEnvironmentInput,
  ZRemoveEnvironmentInput,
  ZSetHaInput,
} from "../../contracts/environment";

export const environmentRouter = router({
  list: authedProcedure.input(PageInput).query(({ ctx, input }) => listEnvironments(ctx.db, ctx.caller, input)),
  /** The enforcement point: zone grant, policy, quota, in one transaction. Returns the credential once. */
  create: tenantProcedure("member")
    .input(ZCreateEnvironmentInput)
    .mutation(({ ctx, input }) => createEnvironment(ctx, input)),
  /** Tenants, zones, quota and HA limits the create form and the CLI may offer. */
  createOptions: authedProcedure.query(({ ctx }) => createOptions(ctx)),
  /** Live what-if for the create form: policy, quota, the state server it would join, where replicas run. */
  preview: tenantProcedure("member")
    .input(ZPreviewEnvironmentInput)
    .query(({ ctx, input }) => previewEnvironment(ctx, input)),
  /** The environment page: status, replicas with hosts and endpoints, neighbours, jobs, timeline. */
  get: authedProcedure
    .input(ZEnvironmentRef)
    .query(async ({ ctx, input }) =>
      getEnvironmentDetail(ctx, "id" in input ? input.id : await environmentIdByName(ctx.db, ctx.caller, input.name, input.tenantId)),
    ),
  /** A new credential, shown once; the old one stops working at once. */
  rotateCredential: authedProcedure
    .input(z.object({ id: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => rotateEnvironmentCredential(ctx, input.id)),
  /** A client certificate of the environment's state server (its members admit only certificate holders); the key is shown once. */
  clientCertificate: authedProcedure
    .input(z.object({ id: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => issueClientCertificate(ctx, input.id)),
  setHa: authedProcedure.input(ZSetHaInput).mutation(({ ctx, input }) => setEnvironmentHa(ctx, input)),
  move: authedProcedure.input(ZMoveEnvironmentInput).mutation(({ ctx, input }) => moveEnvironment(ctx, input)),
  remove: authedProcedure.input(ZRemoveEnvironmentInput).mutation(({ ctx, input }) => removeEnvironment(ctx, input)),
});
