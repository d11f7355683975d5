import { accountRouter } from "./routers/account";
import { auditRouter } from "./routers/audit";
import { environmentRouter } from "./routers/environment";
import { hostRouter } from "./routers/host";
import { placementRouter } from "./routers/placement";
import { policyRouter } from "./routers/policy";
import { sessionRouter } from "./routers/session";
import { tenantRouter } from "./routers/tenant";
import { zoneRouter } from "./routers/zone";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  account: accountRouter,
  audit: auditRouter,
  environment: environmentRouter,
  host: hostRouter,
  placement: placementRouter,
  policy: policyRouter,
  session: sessionRouter,
  tenant: tenantRouter,
  zone: zoneRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
