import { ZKeyDeleteInput, ZKeyListInput, ZKeyPutInput } from "../../contracts/environment-key";
import { deleteKey, listKeys, putKey } from "../../services/environment-lifecycle/keys";
import { authedProcedure, router } from "../trpc";

/** The key browser: an environment's keys on its state server, through its own etcd user. */
export const environmentKeyRouter = router({
  list: authedProcedure.input(ZKeyListInput).query(({ ctx, input }) => listKeys(ctx, input)),
  put: authedProcedure.input(ZKeyPutInput).mutation(({ ctx, input }) => putKey(ctx, input)),
  delete: authedProcedure.input(ZKeyDeleteInput).mutation(({ ctx, input }) => deleteKey(ctx, input)),
});
