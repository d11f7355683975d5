import type { ChildProcess } from "node:child_process";
import type { DesiredMember, MemberHealth, ObservedMember } from "../contracts/agent";
import { RestartBackoff } from "./backoff";
import { memberFiles, type MemberFiles } from "./member-process";
import type { LoadedTls } from "./member-tls";

/** One member as the agent's supervisor keeps it. */
export interface LocalMember {
  /** As last started: ports, address and data dir are kept for the member's life. */
  spec: DesiredMember;
  files: MemberFiles;
  child?: ChildProcess;
  pid?: number;
  state: ObservedMember["state"];
  restarts: number;
  backoff: RestartBackoff;
  retryAt: number;
  error?: string;
  health?: MemberHealth;
  memberId?: string;
  healthySince?: number;
  missedProbes: number;
  stopping: boolean;
  /** The member's certificate, key and authority as on disk (TLS clusters only). */
  tls?: LoadedTls;
  /** reportKey as last reported, to notice changes. */
  reported?: string;
}

export function newLocalMember(membersDir: string, spec: DesiredMember): LocalMember {
  return {
    spec,
    files: memberFiles(membersDir, spec.id),
    state: "failed",
    restarts: 0,
    backoff: new RestartBackoff(),
    retryAt: 0,
    missedProbes: 0,
    stopping: false,
  };
}

/** The part of a member's report whose change is worth an early heartbeat (not raft index or db size). */
export const reportKey = (m: LocalMember) =>
  m.stopping ? "stopping" : `${m.state}/${m.health?.leaderId ?? "-"}/${m.health?.isLearner ?? "-"}/${m.health?.memberId ?? "-"}`;
