import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";

/**
 * Busy loops at normal priority, one per core: the machine a runtime test's
 * SIGKILL lands on is then as busy as a loaded CI machine (agents, members and
 * the controller compete for CPU). `stop()` kills them.
 */
export function saturateCores(count = os.availableParallelism()): { stop(): void } {
  const loops: ChildProcess[] = Array.from({ length: count }, () => spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }));
  return {
    stop() {
      for (const loop of loops) loop.kill("SIGKILL");
    },
  };
}
