import { pidAlive } from "../agent/member-process";

/**
 * When STATEHOUSE_EXIT_WITH_PARENT names a pid (tests, the demo fleet), stop once
 * that process is gone, so a killed test runner leaves no fleet behind.
 */
export function watchParent(stop: () => void) {
  const pid = Number(process.env.STATEHOUSE_EXIT_WITH_PARENT);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const timer = setInterval(() => {
    if (!pidAlive(pid)) {
      clearInterval(timer);
      stop();
    }
  }, 1000);
  timer.unref();
}
