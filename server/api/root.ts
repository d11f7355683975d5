import { accountRouter } from "./routers/account";
import { annotationRouter } from "./routers/annotation";
import { auditRouter } from "./routers/audit";
import { complianceRouter } from "./routers/compliance";
import { environmentRouter } from "./routers/environment";
import { environmentKeyRouter } from "./routers/environment-key";
import { hostRouter } from "./routers/host";
import { placementRouter } from "./routers/placement";
import { policyRouter } from "./routers/policy";
import { quotaRouter } from "./routers/quota";
import { sessionRouter } from "./routers/session";
import { tenantRouter } from "./routers/tenant";
import { userRouter } from "./routers/user";
import { zoneRouter } from "./routers/zone";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  account: accountRouter,
  annotation: annotationRouter,
  audit: auditRouter,
  compliance: complianceRouter,
  environment: environmentRouter,
  environmentKey: environmentKeyRouter,
  host: hostRouter,
  placement: placementRouter,
  policy: policyRouter,
  quota: quotaRouter,
  session: sessionRouter,
  tenant: tenantRouter,
  user: userRouter,
  zone: zoneRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
