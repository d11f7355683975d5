import { watchParent } from "../http/watch-parent";
import { Controller } from "./controller";

/** `npm run controller`: one controller instance (run several; one leads). Reads DATABASE_URL. */
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("DATABASE_URL is not set");
  process.exit(2);
}
const controller = new Controller({
  databaseUrl,
  id: process.env.CONTROLLER_ID,
  intervalMs: process.env.STATEHOUSE_RECONCILE_MS ? Number(process.env.STATEHOUSE_RECONCILE_MS) : undefined,
  jobs: process.env.CONTROLLER_JOBS !== "0",
});
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    void controller.stop().finally(() => process.exit(0));
  });
}
watchParent(() => void controller.stop().finally(() => process.exit(0)));
await controller.start();
