import { listZones } from "../../services/fleet";
import { PageInput } from "../../services/pagination";
import { createZone, grantZone, removeZone, revokeZone, updateZone } from "../../services/zones";
import { adminProcedure, router, supportProcedure } from "../trpc";
import { ZCreateZoneInput, ZGrantInput, ZUpdateZoneInput, ZZoneIdInput } from "../../contracts/zone";

export const zoneRouter = router({
  list: supportProcedure.input(PageInput).query(({ ctx, input }) => listZones(ctx.db, ctx.caller, input)),
  create: adminProcedure.input(ZCreateZoneInput).mutation(({ ctx, input }) => createZone(ctx, input)),
  update: adminProcedure.input(ZUpdateZoneInput).mutation(({ ctx, input }) => updateZone(ctx, input)),
  remove: adminProcedure.input(ZZoneIdInput).mutation(({ ctx, input }) => removeZone(ctx, input.zoneId)),
  grant: adminProcedure.input(ZGrantInput).mutation(({ ctx, input }) => grantZone(ctx, input)),
  revoke: adminProcedure.input(ZGrantInput).mutation(({ ctx, input }) => revokeZone(ctx, input)),
});
